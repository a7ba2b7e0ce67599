import { describe, expect, it, vi } from 'vitest'
import { createEmitter } from './emitter'

interface Events {
  ping: { n: number }
  pong: string
}

const setup = () => {
  const onError = vi.fn()
  return { emitter: createEmitter<Events>(onError), onError }
}

describe('createEmitter', () => {
  it('calls listeners in order with the payload, until unsubscribed', () => {
    const { emitter } = setup()
    const seen: string[] = []
    const off = emitter.on('ping', ({ n }) => void seen.push(`a${n}`))
    emitter.on('ping', ({ n }) => void seen.push(`b${n}`))
    emitter.emit('ping', { n: 1 })
    off()
    off()
    emitter.emit('ping', { n: 2 })
    emitter.emit('pong', 'ignored by ping listeners')
    expect(seen).toEqual(['a1', 'b1', 'b2'])
  })

  it('calls a once listener one time, and off removes it before that', () => {
    const { emitter } = setup()
    const once = vi.fn()
    const never = vi.fn()
    emitter.once('pong', once)
    emitter.once('pong', never)
    emitter.off('pong', never)
    emitter.emit('pong', 'a')
    emitter.emit('pong', 'b')
    expect(once).toHaveBeenCalledTimes(1)
    expect(once).toHaveBeenCalledWith('a')
    expect(never).not.toHaveBeenCalled()
  })

  it('treats the same function added twice as two subscriptions', () => {
    const { emitter } = setup()
    const fn = vi.fn()
    const first = emitter.on('pong', fn)
    emitter.on('pong', fn)
    first()
    emitter.emit('pong', 'x')
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('isolates a throwing or rejecting listener from the others', async () => {
    const { emitter, onError } = setup()
    const after = vi.fn()
    emitter.on('ping', () => {
      throw new Error('sync')
    })
    emitter.on('ping', () => Promise.reject(new Error('async')))
    emitter.on('ping', after)
    expect(() => emitter.emit('ping', { n: 1 })).not.toThrow()
    expect(after).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2))
    expect(onError.mock.calls).toEqual([
      [new Error('sync'), 'ping'],
      [new Error('async'), 'ping'],
    ])
  })

  it('skips a listener removed by an earlier one and defers one added while emitting', () => {
    const { emitter } = setup()
    const removed = vi.fn()
    const added = vi.fn()
    let offRemoved = () => {}
    emitter.on('pong', () => {
      offRemoved()
      emitter.on('pong', added)
    })
    offRemoved = emitter.on('pong', removed)
    emitter.emit('pong', 'first')
    expect(removed).not.toHaveBeenCalled()
    expect(added).not.toHaveBeenCalled()
    emitter.emit('pong', 'second')
    expect(added).toHaveBeenCalledWith('second')
  })

  it('drops every listener on clear', () => {
    const { emitter } = setup()
    const fn = vi.fn()
    emitter.on('pong', fn)
    emitter.clear()
    emitter.emit('pong', 'x')
    expect(fn).not.toHaveBeenCalled()
  })
})
