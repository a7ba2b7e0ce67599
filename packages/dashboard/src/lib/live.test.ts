import { afterEach, describe, expect, it, vi } from 'vitest'
import { followLive } from './live'

describe('the live stream', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('stops and says so when the server refuses who is signed in', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn(async () => new Response('{}', { status: 401 }))
    vi.stubGlobal('fetch', fetch)
    const states: boolean[] = []
    const refused = new Promise<void>((resolve) => {
      followLive({
        token: 'rdk_revoked',
        retryMs: 0,
        onEvent: () => {},
        onState: (connected) => states.push(connected),
        onUnauthorized: resolve,
      })
    })
    await refused
    // No reconnection is waiting: a dropped stream would have set its timer by now.
    expect(vi.getTimerCount()).toBe(0)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(states).toEqual([false])
  })

  it('reconnects after a drop that is not a refusal', async () => {
    let calls = 0
    const twice = new Promise<void>((resolve) => {
      vi.stubGlobal('fetch', async () => {
        if (++calls === 2) resolve()
        return new Response('{}', { status: 503 })
      })
    })
    const onUnauthorized = vi.fn()
    const stop = followLive({ retryMs: 0, onEvent: () => {}, onUnauthorized })
    await twice
    stop()
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})
