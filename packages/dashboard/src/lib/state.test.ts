import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref } from './state'

describe('the route', () => {
  it('reads and writes Settings with a notice drafted from an alert', () => {
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' })
    expect(parseRoute('#/settings?notice-from=alt_1')).toEqual({
      name: 'settings',
      noticeFrom: 'alt_1',
    })
    expect(parseRoute('#/settings?notice-from=')).toEqual({ name: 'settings' })
    expect(routeHref({ name: 'settings', noticeFrom: 'alt 1' })).toBe(
      '#/settings?notice-from=alt+1',
    )
    expect(parseRoute(routeHref({ name: 'settings', noticeFrom: 'alt 1' }))).toEqual({
      name: 'settings',
      noticeFrom: 'alt 1',
    })
    expect(routeHref({ name: 'settings' })).toBe('#/settings')
  })

  it('leaves the other routes as they were', () => {
    expect(parseRoute('#/inbox?status=received')).toEqual({ name: 'inbox' })
    expect(parseRoute('#/complaints/cmp_1')).toEqual({ name: 'complaint', id: 'cmp_1' })
    expect(parseRoute('#/insights')).toEqual({ name: 'insights' })
    expect(parseRoute('')).toEqual({ name: 'inbox' })
    expect(routeHref({ name: 'complaint', id: 'cmp 1' })).toBe('#/complaints/cmp%201')
  })
})
