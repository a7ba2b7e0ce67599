import { describe, expect, it } from 'vitest'
import { templates } from './index'

describe('a remedy in a mail', () => {
  it("names when a person will be in touch from the remedy's contactWithin, in the mail's language", () => {
    const escalation = {
      kind: 'escalation' as const,
      message: 'A member of our team will contact you personally to put this right.',
      contactWithin: 'PT4H',
    }
    expect(templates('en').remedy(escalation)).toBe(
      'A member of our team will contact you personally to put this right.\nWe will contact you within 4 hours.',
    )
    expect(
      templates('zh-CN').remedy({
        ...escalation,
        message: '我们的同事会亲自联系您，把这件事处理好。',
      }),
    ).toBe('我们的同事会亲自联系您，把这件事处理好。\n我们会在4小时内联系您。')
  })

  it('says no time when the remedy names none', () => {
    const escalation = { kind: 'escalation' as const, message: 'Someone will call you.' }
    expect(templates('en').remedy(escalation)).toBe('Someone will call you.')
  })
})
