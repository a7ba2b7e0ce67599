/**
 * @module What the inbox and the complaint view share: the site (its
 * categories and currency, read once per token), the live stream (one
 * connection however many views listen), labels, money input and error text.
 */
import { type Signal, signal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { type AdminApi, AdminApiError } from '../api'
import { currencyDigits, majorUnits, messages } from '../i18n'
import { followLive } from '../live'
import { token } from '../state'
import type { FailureType, LiveEvent, SiteView } from '../types'

// ---------------------------------------------------------------------------
// The site

const sites = new WeakMap<AdminApi, Signal<SiteView | null>>()

/**
 * The site of this token (`GET /v1/admin/site`), `null` until it has loaded;
 * asked once per client, and again after a failure.
 */
export function siteOf(client: AdminApi): Signal<SiteView | null> {
  let site = sites.get(client)
  if (!site) {
    const created = signal<SiteView | null>(null)
    site = created
    sites.set(client, created)
    client.site().then(
      (view) => {
        created.value = view
      },
      () => {
        // Labels fall back to the built-in names; the next view asks again.
        sites.delete(client)
      },
    )
  }
  return site
}

/** A category's name: the site's label, else the built-in name, else its id. */
export function categoryLabel(site: SiteView | null, id: string): string {
  const own = site?.categories.find((category) => category.id === id)?.label
  if (own) return own
  const builtIn = messages.value.inbox.categories as Record<string, string>
  return builtIn[id] ?? id
}

/** A category's failure type by the site's categories; unlisted ones count as process failures. */
export function failureTypeOf(site: SiteView | null, id: string): FailureType {
  return site?.categories.find((category) => category.id === id)?.failureType ?? 'process'
}

// ---------------------------------------------------------------------------
// Live updates

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
  const current = token.value
  useEffect(() => {
    if (!current) return
    listeners.add(ref)
    if (!stopLive) {
      liveState.value = 'connecting'
      // A stopped connection reports its end late: only the current one sets the badge.
      const generation = ++connections
      stopLive = followLive({
        token: current,
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
  }, [current])
}

// ---------------------------------------------------------------------------
// Errors

/** What to show for a failed call: the server's message, or "cannot reach the server". */
export function errorText(error: unknown): string {
  if (error instanceof AdminApiError || (error as Error)?.name === 'AdminApiError') {
    const failure = error as AdminApiError
    return failure.status === 0 ? messages.value.common.networkError : failure.message
  }
  return (error as Error)?.message ?? String(error)
}

/**
 * What to show for a failed read or save: the server's message for an error
 * it answered, else "cannot reach the server" (unlike `errorText`, which
 * shows any other error's own message).
 */
export const failureText = (error: unknown): string =>
  error instanceof AdminApiError && error.code !== 'network'
    ? error.message
    : messages.value.common.networkError

/** The error's code, when the server sent one. */
export const errorCode = (error: unknown): string | undefined =>
  (error as AdminApiError)?.name === 'AdminApiError' ? (error as AdminApiError).code : undefined

// ---------------------------------------------------------------------------
// Money typed in major units

/**
 * An amount typed in major units ("12.50", "12,5", "¥ 30") as whole minor
 * units, or `null` when it is not a positive amount with at most the
 * currency's decimals.
 *
 * @example
 * toMinor('12.50', 'EUR') // 1250
 * toMinor('12.505', 'EUR') // null
 */
export function toMinor(text: string, currency: string): number | null {
  const digits = currencyDigits(currency)
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(/^[^\d.,-]+|[^\d.,-]+$/g, '')
  const normal = cleaned.replace(',', '.')
  const pattern = digits > 0 ? new RegExp(`^\\d+(?:\\.\\d{0,${digits}})?$`) : /^\d+$/
  if (!pattern.test(normal)) return null
  const [whole = '0', fraction = ''] = normal.split('.')
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null
}

/** Minor units as a major-unit amount to edit: 1250 → "12.50". */
export const toMajor = (minor: number, currency: string): string =>
  majorUnits(minor, currency).toFixed(currencyDigits(currency))

// ---------------------------------------------------------------------------
// Who is working

const NAME_KEY = 'redress:dashboard-name'

const storedName = () => {
  try {
    return localStorage.getItem(NAME_KEY) ?? ''
  } catch {
    return ''
  }
}

/** The name this person takes complaints and signs replies with (remembered in this browser). */
export const myName = signal(storedName())

export function setMyName(name: string): void {
  myName.value = name
  try {
    localStorage.setItem(NAME_KEY, name)
  } catch {}
}

// ---------------------------------------------------------------------------
// Keys

/** Whether a key press belongs to a field being typed in, so shortcuts leave it alone. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  const element = target as HTMLElement
  return (
    element.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName) ||
    element.closest('[contenteditable=""], [contenteditable="true"]') !== null
  )
}
