/**
 * @module Live updates: reads `GET /v1/admin/stream` (server-sent events)
 * with fetch, because EventSource cannot send the admin token in a header
 * (a person's session needs none: the cookie goes with it).
 * Reconnects after a drop, resuming from the last event id it saw. Views
 * listen with `useLive`: one connection however many of them listen.
 */
import { signal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { auth, credential, refused } from './state'
import type { LiveEvent } from './types'

/** Parse complete SSE messages out of `buffer`; returns them and what is left over. */
export function parseSse(buffer: string): {
  messages: Array<{ id?: string; event?: string; data: string }>
  rest: string
} {
  const messages: Array<{ id?: string; event?: string; data: string }> = []
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n')
  const rest = blocks.pop() ?? ''
  for (const block of blocks) {
    const message: { id?: string; event?: string; data: string } = { data: '' }
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'id') message.id = value
      else if (field === 'event') message.event = value
      else if (field === 'data') data.push(value)
    }
    if (data.length === 0) continue
    message.data = data.join('\n')
    messages.push(message)
  }
  return { messages, rest }
}

export interface LiveOptions {
  /** The admin or API token; absent for a person, whose session cookie the browser sends. */
  token?: string | undefined
  base?: string
  onEvent: (event: LiveEvent) => void
  /** Whether the stream is connected, for the "live" badge. */
  onState?: (connected: boolean) => void
  /** Milliseconds before reconnecting after a drop. @default 2000 */
  retryMs?: number
  /** The server refused the token or the session (`401`): the stream stops. */
  onUnauthorized?: () => void
}

/**
 * Follow the site's events until the returned function is called.
 *
 * @example
 * const stop = followLive({ token, onEvent: (event) => refresh(event.complaintId) })
 */
export function followLive(options: LiveOptions): () => void {
  const controller = new AbortController()
  let lastId: string | undefined
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`${options.base ?? ''}/v1/admin/stream`, {
          headers: {
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          credentials: options.token ? 'omit' : 'same-origin',
          signal: controller.signal,
        })
        if (response.status === 401) {
          options.onState?.(false)
          options.onUnauthorized?.()
          return
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
        options.onState?.(true)
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          const parsed = parseSse(buffer + value)
          buffer = parsed.rest
          for (const message of parsed.messages) {
            if (message.id) lastId = message.id
            try {
              options.onEvent(JSON.parse(message.data) as LiveEvent)
            } catch {}
          }
        }
      } catch {}
      options.onState?.(false)
      if (controller.signal.aborted) return
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 2000))
    }
  }
  void run()
  return () => controller.abort()
}

export type LiveState = 'connecting' | 'live' | 'offline'

/** Whether the stream is connected, for the "Live" badge. */
export const liveState = signal<LiveState>('connecting')

const listeners = new Set<{ current: (event: LiveEvent) => void }>()
let stopLive: (() => void) | null = null
let connections = 0

/**
 * Call `listener` with every event of the site's live stream while the
 * component is mounted. All listeners share one connection, opened by the
 * first and closed with the last.
 */
export function useLive(listener: (event: LiveEvent) => void): void {
  const ref = useRef(listener)
  ref.current = listener
  const current = auth.value
  // One stream per sign-in: a person's view of themselves changing (their second factor) keeps it.
  const signedIn = credential.value
  useEffect(() => {
    if (!current) return
    listeners.add(ref)
    if (!stopLive) {
      liveState.value = 'connecting'
      // A stopped connection reports its end late: only the current one sets the badge.
      const generation = ++connections
      stopLive = followLive({
        token: current.kind === 'token' ? current.token : undefined,
        onUnauthorized: () => refused(signedIn),
        onEvent: (event) => {
          for (const { current: listen } of [...listeners]) {
            try {
              listen(event)
            } catch {}
          }
        },
        onState: (connected) => {
          if (generation === connections) liveState.value = connected ? 'live' : 'offline'
        },
      })
    }
    return () => {
      listeners.delete(ref)
      if (listeners.size === 0 && stopLive) {
        stopLive()
        stopLive = null
        connections++
      }
    }
  }, [signedIn])
}
