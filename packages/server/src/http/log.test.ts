import { describe, expect, it } from 'vitest'
import { loggedPath } from './log'

describe('loggedPath', () => {
  it('keeps the signed token of a mail link out of the log', () => {
    const token = 'r.mail_0123456789abcdefghijklmn.t1x2y3.4.c2lnbmF0dXJl'
    expect(loggedPath(`/v1/r/${token}`)).toBe('/v1/r/…')
    expect(loggedPath(`/v1/u/${token}`)).toBe('/v1/u/…')
    expect(loggedPath(`/v1/r/${token}`)).not.toContain('c2lnbmF0dXJl')
  })

  it('leaves every other path as it is', () => {
    expect(loggedPath('/v1/complaints')).toBe('/v1/complaints')
    expect(loggedPath('/v1/complaints/cmp_1/follow-up')).toBe('/v1/complaints/cmp_1/follow-up')
    expect(loggedPath('/v1/sites/pk_demo')).toBe('/v1/sites/pk_demo')
  })
})
