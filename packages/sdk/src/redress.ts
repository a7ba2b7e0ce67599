// `createRedress`: events, submit, outbox delivery, retries and commands. What it
// takes, returns and emits is typed in `options.ts`, `instance.ts` and `events.ts`.
import type { Complaint, CustomerTokenClaims, Receipt, Recovery } from '@redress/protocol'
import { LIMITS } from '@redress/protocol'
import { check, checkComplaint, checkRecovery, filled } from './_check'
import { createOutbox, type QueuedComplaint } from './_outbox'
import type { Adapter } from './adapter'
import { createEmitter } from './emitter'
import { type HttpError, isRetryable, RedressError } from './errors'
import type { RedressEvents, Responder } from './events'
import type { Redress } from './instance'
import type { RedressOptions } from './options'
import { defaultStorage } from './storage'

/** The SDK's version, sent as `client.sdk`. */
export const VERSION = '0.1.0'

// 128 random bits as hex. `getRandomValues`, unlike `randomUUID`, also works on plain-http pages.
const randomId = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')

const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : undefined)

const online = () => globalThis.navigator?.onLine !== false

// A token's claims, read without verifying: only the backend can, and the SDK
// needs no more than `sub` and `exp` to decide when to ask for a fresh one.
const claims = (token: unknown): Partial<CustomerTokenClaims> | undefined => {
  try {
    return JSON.parse(atob((token as string).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))
  } catch {}
}

/**
 * Create a Redress instance. Safe to call during server-side rendering: it
 * touches `window` only when one exists.
 *
 * @example
 * import { createRedress, memoryAdapter } from '@redress/sdk'
 *
 * const redress = createRedress({ site: 'pk_demo', adapter: memoryAdapter() })
 * redress.on('complaint:submitted', async ({ complaint, respond }) => {
 *   if (complaint.severity !== 'minor') respond.coupon(await myBackend.coupon(complaint))
 * })
 * redress.submit({ category: 'delivery', severity: 'major', description: 'The parcel never came.' })
 */
export function createRedress(options: RedressOptions): Redress {
  check(options, [
    ['site', filled(LIMITS.site), 1],
    [
      'adapter.submit',
      (value) => (typeof value === 'function' ? undefined : 'must be a function'),
      1,
    ],
  ])
  const { site, adapter } = options
  const baseDelay = options.retry?.baseDelay ?? 1000
  const maxDelay = options.retry?.maxDelay ?? 300_000
  const onError = options.onError ?? ((error: unknown) => console.error('[redress]', error))
  const events = createEmitter<RedressEvents>((error, event) => onError(error, { event }))
  const outbox = createOutbox(options.storage ?? defaultStorage(), `redress:outbox:${site}`)
  const controller = new AbortController()
  const { signal } = controller
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const sending = new Map<string, Promise<void>>()
  const waiting = new Map<
    string,
    { resolve(receipt: Receipt): void; reject(error: unknown): void }
  >()
  let user = options.user
  let token = options.customerToken ?? user?.token
  let destroyed = false

  // Retryable: a complaint accepted before the end is still in the outbox.
  const gone = () =>
    new RedressError('Redress was destroyed', { code: 'destroyed', retryable: true })
  const live = () => {
    if (destroyed) throw gone()
  }

  // The adapter's optional method, or a clear error naming what is missing.
  const optional = <K extends 'status' | 'followUp'>(method: K): NonNullable<Adapter[K]> => {
    live()
    const fn = adapter[method]
    if (!fn)
      throw new RedressError(`The ${adapter.name} adapter has no ${method}()`, {
        code: 'unsupported',
      })
    return fn.bind(adapter) as NonNullable<Adapter[K]>
  }

  // The receipt promise of a complaint submitted in this page, if any.
  const settle = (id: string, how: 'resolve' | 'reject', value: unknown) => {
    ;(waiting.get(id)?.[how] as ((value: unknown) => void) | undefined)?.(value)
    waiting.delete(id)
  }

  const offer = (recovery: Recovery, id?: string) =>
    events.emit('recovery:offered', { id, recovery: checkRecovery(recovery), source: 'host' })

  // Host code's answers, for one complaint (`id`) or for the page.
  const responder = (id?: string): Responder => ({
    apology: (apology) => offer({ kind: 'apology', ...apology }, id),
    coupon: (coupon) => offer({ kind: 'coupon', ...coupon }, id),
    offer: (recovery) => offer(recovery, id),
  })

  const backoff = (attempts: number, error: unknown) => {
    const retryAfter = (error as HttpError | null)?.retryAfter
    if (typeof retryAfter === 'number') return retryAfter
    const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempts - 1))
    // "Equal jitter": never less than half the ceiling, so retries stay spaced out.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
  }

  const attempt = async (entry: QueuedComplaint) => {
    const { id } = entry
    let { complaint } = entry
    let asked = 0
    // Swaps the token being sent for a fresh one naming the same customer, or
    // for none. A token never costs a complaint (unverified, it still gets an
    // apology and a person), and one for anyone else, say another customer who
    // signed in meanwhile, must never be attached to it. Asked once per attempt.
    const renew = async () => {
      const token = complaint.customerToken!
      const sub = claims(token)?.sub
      const refresh = user?.refresh ?? options.refreshCustomerToken
      let fresh: string | null | undefined
      try {
        if (!asked++ && sub && refresh) fresh = await refresh({ token, sub })
      } catch {}
      complaint = {
        ...complaint,
        customerToken: fresh && claims(fresh)?.sub === sub ? fresh : undefined,
      }
      // The outbox keeps it if this attempt fails, so later ones send it too.
      if (complaint.customerToken) entry = { ...entry, complaint }
    }
    try {
      // Expired, or within 30 s of it: the backend would refuse it. (No token, no `exp`.)
      if ((claims(complaint.customerToken)?.exp as number) - 30 < Date.now() / 1000) await renew()
      let receipt: Receipt
      for (;;) {
        try {
          receipt = await adapter.submit(complaint, { idempotencyKey: id, signal })
          break
        } catch (error) {
          // Refused for its token: `invalid_customer_token` or `customer_token_expired`
          // (401), or a 400 naming the `customerToken` field (not a string, too long).
          // The token is no part of the idempotency fingerprint, so the complaint
          // goes again at once under the same key; a stored one answers as a replay.
          const { code, field } = (error ?? {}) as HttpError
          if (!complaint.customerToken || !/customer_?token/i.test(code + field)) throw error
          await renew()
        }
      }
      outbox.remove(id)
      settle(id, 'resolve', receipt)
      events.emit('complaint:sent', { id, complaint, receipt })
      if (receipt.recovery)
        events.emit('recovery:offered', { id, recovery: receipt.recovery, source: 'server' })
    } catch (error) {
      // Destroyed mid-flight: the complaint stays queued for the next page.
      if (destroyed) return
      if (isRetryable(error)) {
        const attempts = entry.attempts + 1
        // Unless another tab delivered it meanwhile.
        if (outbox.get(id)) outbox.put({ ...entry, attempts })
        const retryIn = online() ? backoff(attempts, error) : null
        // `deliver` clears the timer when it starts the next attempt.
        if (retryIn !== null) timers.set(id, setTimeout(deliver, retryIn, id))
        events.emit('complaint:queued', { id, complaint, attempts, retryIn, error })
        return
      }
      outbox.remove(id)
      // Only errors that say `retryable: false` get here: SDK errors, or alike.
      const failure = error as RedressError
      settle(id, 'reject', failure)
      events.emit('complaint:failed', { id, complaint, error: failure })
    }
  }

  // One attempt per complaint at a time; a second call joins the first.
  const deliver = (id: string): Promise<void> => {
    const current = sending.get(id)
    if (current) return current
    const entry = outbox.get(id)
    if (destroyed || !entry) return Promise.resolve()
    clearTimeout(timers.get(id))
    timers.delete(id)
    const promise = attempt(entry).finally(() => sending.delete(id))
    sending.set(id, promise)
    return promise
  }

  const flush = async () => {
    await Promise.all(outbox.all().map((entry) => deliver(entry.id)))
  }

  const onOnline = () => void flush()
  globalThis.addEventListener?.('online', onOnline)

  // Deliver what earlier pages left behind once the caller has had a chance
  // to add listeners.
  setTimeout(() => {
    if (destroyed) return
    events.emit('ready', { queued: outbox.all().length })
    void flush()
  }, 0)

  const redress: Redress = {
    site,
    on: events.on,
    once: events.once,
    off: events.off,
    identify(next) {
      user = next ?? undefined
      token = next?.token
    },
    open(openOptions = {}) {
      events.emit('open', openOptions)
    },
    close() {
      events.emit('close', {})
    },
    submit(draft) {
      live()
      const location = globalThis.location
      const document = globalThis.document
      const navigator = globalThis.navigator
      const complaint = checkComplaint({
        site,
        category: draft?.category,
        severity: draft?.severity,
        description: draft?.description,
        contact: draft?.contact,
        orderRef: draft?.orderRef,
        orderValue: draft?.orderValue,
        // The token is a credential, not a fact about the customer.
        customer: user && { id: user.id, email: user.email },
        customerToken: token,
        page: location && {
          url: clip(location.href, LIMITS.url),
          title: clip(document?.title, LIMITS.title),
          referrer: clip(document?.referrer, LIMITS.url),
        },
        client: {
          locale: clip(options.locale ?? navigator?.language, LIMITS.locale),
          sdk: `redress/${VERSION}`,
        },
        metadata:
          options.metadata || draft?.metadata
            ? { ...options.metadata, ...draft?.metadata }
            : undefined,
        occurredAt: new Date().toISOString(),
        signals: draft?.signals,
      } as Complaint)
      const id = randomId()
      // The outbox first: from here on, nothing the customer wrote can be lost.
      outbox.put({ id, complaint, attempts: 0, queuedAt: complaint.occurredAt! })
      const receipt = new Promise<Receipt>((resolve, reject) =>
        waiting.set(id, { resolve, reject }),
      )
      // Callers who only listen to events must not see an unhandled rejection.
      receipt.catch(() => {})
      events.emit('complaint:submitted', {
        id,
        complaint,
        respond: responder(id),
      })
      void deliver(id)
      return { id, complaint, receipt }
    },
    apologize: (apology, id) => responder(id).apology(apology),
    offerCoupon: (coupon, id) => responder(id).coupon(coupon),
    offerRecovery: offer,
    acceptRecovery(recovery, id) {
      events.emit('recovery:accepted', { id, recovery })
    },
    notice(notice) {
      events.emit('notice', check(notice, [['message', filled(LIMITS.message), 1]]))
    },
    async status(receipt) {
      const report = await optional('status')(receipt, { signal })
      const previous = receipt.status
      if (previous !== report.status) events.emit('status:changed', { report, previous })
      return report
    },
    async followUp(receipt, answer) {
      // The adapter checks the answer: follow-ups are sent at once, not queued,
      // so a refusal reaches the caller, who still holds the answer.
      await optional('followUp')(receipt, answer, { signal })
      events.emit('followup:answered', { receipt, answer })
    },
    pending: () => outbox.all(),
    flush,
    destroy() {
      if (destroyed) return
      destroyed = true
      controller.abort()
      for (const id of waiting.keys()) settle(id, 'reject', gone())
      timers.forEach(clearTimeout)
      globalThis.removeEventListener?.('online', onOnline)
      events.clear()
    },
  }
  return redress
}
