import { describe, expect, it } from 'vitest'
import * as admin from './index'

describe('@redress/protocol/admin', () => {
  it('holds no runtime code but its constant lists and the policy defaults', () => {
    // Everything else is a type: importing the subpath must stay (almost) free.
    expect(Object.keys(admin).sort()).toEqual([
      'DEFAULT_CAPS',
      'DEFAULT_CURRENCY',
      'DEFAULT_GOODWILL',
      'HARD_CAP_PERCENT',
      'ROOT_CAUSES',
      'WEBHOOK_EVENT_TYPES',
    ])
    expect(admin.ROOT_CAUSES).toContain('third_party')
    expect(admin.WEBHOOK_EVENT_TYPES).toContain('complaint.created')
  })
})
