import { HELP_LIMITS as PROTOCOL_LIMITS } from '@redress/protocol'
import { describe, expect, it } from 'vitest'
import {
  HELP_LIMITS,
  helpDraft,
  helpErrorKey,
  helpLanguages,
  helpPayload,
  helpProblems,
} from './_help-data'

describe('a category’s self-help', () => {
  const words = { linkIncomplete: 'half', urlInvalid: 'not http' }

  it('has the protocol’s bounds', () => {
    expect(HELP_LIMITS).toEqual(PROTOCOL_LIMITS)
  })

  it('sends what is typed, trimmed, leaving out blank rows and silent languages', () => {
    const draft = helpDraft({ en: { answer: 'Old' } })
    draft.en = {
      answer: ' See the tracking page. ',
      links: [
        { label: '', url: '' },
        { label: ' Track ', url: ' https://shop.example/track ' },
      ],
    }
    expect(helpLanguages(draft)).toEqual(['en'])
    expect(helpPayload(draft)).toEqual({
      help: {
        en: {
          answer: 'See the tracking page.',
          links: [{ label: 'Track', url: 'https://shop.example/track' }],
        },
      },
      // The one link sent was the draft's second row.
      sent: { en: [1], 'zh-CN': [] },
    })
    expect(helpPayload(helpDraft(undefined)).help).toBeUndefined()
  })

  it('refuses half a link and an address that is not http(s)', () => {
    const draft = helpDraft(undefined)
    draft['zh-CN'].links = [
      { label: 'A', url: '' },
      { label: '', url: 'https://x.example' },
      { label: 'C', url: 'javascript:alert(1)' },
      { label: 'D', url: 'https://shop.example/d' },
    ]
    expect(helpProblems(draft, words)).toEqual({
      'zh-CN.links[0].url': 'half',
      'zh-CN.links[1].label': 'half',
      'zh-CN.links[2].url': 'not http',
    })
  })

  it('places the server’s refusal at the row it came from', () => {
    const sent = { en: [0, 3], 'zh-CN': [] }
    expect(helpErrorKey('help.en.links[1].url', sent)).toBe('en.links[3].url')
    expect(helpErrorKey('help.en.links[0]', sent)).toBe('en.links[0].label')
    expect(helpErrorKey('help.en.links', sent)).toBe('en.links')
    expect(helpErrorKey('help.zh-CN.answer', sent)).toBe('zh-CN.answer')
    expect(helpErrorKey('help.zh-CN', sent)).toBe('zh-CN.answer')
    expect(helpErrorKey('help', sent)).toBe('en.answer')
    expect(helpErrorKey('help.fr', sent)).toBeNull()
  })
})
