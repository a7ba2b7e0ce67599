/**
 * @module `httpAdapter`: talks Redress wire protocol v1 to any endpoint over
 * HTTP with `fetch`. A separate entry so pages that bring their own adapter
 * do not download it.
 */
import { type ErrorBody, isRetryableStatus } from '@redress/protocol'
import { receiptFrom, statusReportFrom } from '../_receipt'
import type { Adapter } from '../adapter'
import { HttpError, NetworkError, TimeoutError } from '../errors'

export interface HttpAdapterOptions {
  /** The backend's origin (and optional path prefix), e.g. `"https://feedback.example.com"`. */
  endpoint: string
  /** Extra headers on every request. */
  headers?: Record<string, string>
  /** Milliseconds to wait for each request, body included, before giving up on it (it is retried). @default 10000 */
  timeout?: number
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch
}

/** `Retry-After` is seconds or an HTTP date; the answer is milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

async function httpError(response: Response): Promise<HttpError> {
  const detail = ((await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined)
    ?.error
  return new HttpError(
    typeof detail?.message === 'string' ? detail.message : `The server answered ${response.status}`,
    {
      status: response.status,
      code: typeof detail?.code === 'string' ? detail.code : `http_${response.status}`,
      field: typeof detail?.field === 'string' ? detail.field : undefined,
      retryable: isRetryableStatus(response.status),
      retryAfter: parseRetryAfter(response.headers.get('retry-after')),
    },
  )
}

/**
 * Sends complaints to a backend that speaks Redress wire protocol v1 (the
 * reference `@redress/server`, or your own). It makes one attempt per call;
 * the SDK's outbox decides retries. Cookies are never sent.
 *
 * @example
 * import { createRedress } from '@redress/sdk'
 * import { httpAdapter } from '@redress/sdk/http'
 *
 * const redress = createRedress({
 *   site: 'pk_demo',
 *   adapter: httpAdapter({ endpoint: 'https://feedback.example.com' }),
 * })
 */
export function httpAdapter(options: HttpAdapterOptions): Adapter {
  if (typeof options?.endpoint !== 'string' || !/^https?:\/\//.test(options.endpoint)) {
    throw new TypeError(
      'httpAdapter needs `endpoint`, an http(s) URL such as https://feedback.example.com',
    )
  }
  const base = `${options.endpoint.replace(/\/+$/, '')}/v1/complaints`
  const timeout = options.timeout ?? 10_000
  const name = 'http'

  /** One request; `read` turns the successful response into the result, within the timeout. */
  const request = async <T>(
    path: string,
    init: {
      method?: string
      body?: unknown
      headers?: Record<string, string>
      signal?: AbortSignal | undefined
    },
    read: (response: Response) => Promise<T>,
  ): Promise<T> => {
    const controller = new AbortController()
    const { signal } = init
    const abort = () => controller.abort(signal?.reason)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeout)
    signal?.addEventListener('abort', abort)
    if (signal?.aborted) abort()
    try {
      const response = await (options.fetch ?? fetch)(base + path, {
        method: init.method ?? 'GET',
        headers: {
          ...options.headers,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        // A photo goes as its own bytes; everything else as JSON.
        body:
          init.body instanceof Blob
            ? init.body
            : init.body === undefined
              ? undefined
              : JSON.stringify(init.body),
        credentials: 'omit',
        signal: controller.signal,
      })
      if (!response.ok) throw await httpError(response)
      return await read(response)
    } catch (error) {
      if (timedOut)
        throw new TimeoutError(`No answer from ${options.endpoint} within ${timeout} ms`, {
          cause: error,
        })
      // An abort is the caller's own doing: pass its reason through untouched.
      if (signal?.aborted) throw signal.reason
      // fetch rejects with a TypeError when the network fails or CORS refuses.
      if (error instanceof TypeError) throw new NetworkError(error.message, { cause: error })
      throw error
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
    }
  }

  // A body that is not JSON (an HTML error page behind a 200, say) reads as
  // nothing, which the receipt check then refuses.
  const json = (response: Response) => response.json().catch(() => undefined)
  const auth = (token: string) => ({ authorization: `Bearer ${token}` })
  const path = (id: string) => `/${encodeURIComponent(id)}`

  return {
    name,
    submit: (complaint, { idempotencyKey, signal }) =>
      request(
        '',
        { method: 'POST', body: complaint, signal, headers: { 'idempotency-key': idempotencyKey } },
        async (response) => receiptFrom(await json(response), name),
      ),
    status: (receipt, context) =>
      request(
        path(receipt.id),
        { signal: context?.signal, headers: auth(receipt.token) },
        async (response) => statusReportFrom(await json(response), name),
      ),
    followUp: (receipt, answer, context) =>
      request(
        `${path(receipt.id)}/follow-up`,
        { method: 'POST', body: answer, signal: context?.signal, headers: auth(receipt.token) },
        async () => {},
      ),
    attach: (receipt, photo, { idempotencyKey, signal }) =>
      request(
        `${path(receipt.id)}/attachments${photo.name ? `?name=${encodeURIComponent(photo.name)}` : ''}`,
        {
          method: 'POST',
          body: photo.blob,
          signal,
          headers: {
            ...auth(receipt.token),
            'content-type': photo.blob.type,
            'idempotency-key': idempotencyKey,
          },
        },
        json,
      ),
  }
}
