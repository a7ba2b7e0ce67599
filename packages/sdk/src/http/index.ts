/**
 * @module `httpAdapter`: talks Redress wire protocol v1 to any endpoint over
 * HTTP, with ky. A separate entry so pages that bring their own adapter do
 * not download it.
 */
import { type ErrorBody, isRetryableStatus } from '@redress/protocol'
import ky, { HTTPError, type KyInstance, TimeoutError as KyTimeoutError } from 'ky'
import { receiptFrom, statusReportFrom } from '../_receipt'
import type { Adapter } from '../adapter'
import { HttpError, NetworkError, TimeoutError } from '../errors'

export interface HttpAdapterOptions {
  /** The backend's origin (and optional path prefix), e.g. `"https://feedback.example.com"`. */
  endpoint: string
  /** Extra headers on every request. */
  headers?: Record<string, string>
  /** Milliseconds to wait for each request before treating it as a network failure. @default 10000 */
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

async function toError(error: unknown): Promise<unknown> {
  if (error instanceof HTTPError) {
    const { response } = error
    let body: Partial<ErrorBody> | undefined
    try {
      body = await response.json()
    } catch {}
    const detail = body?.error
    return new HttpError(
      typeof detail?.message === 'string'
        ? detail.message
        : `The server answered ${response.status}`,
      {
        status: response.status,
        code: typeof detail?.code === 'string' ? detail.code : `http_${response.status}`,
        field: typeof detail?.field === 'string' ? detail.field : undefined,
        retryable: isRetryableStatus(response.status),
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
        cause: error,
      },
    )
  }
  if (error instanceof KyTimeoutError) return new TimeoutError(undefined, { cause: error })
  // An abort is the caller's own doing: pass it through untouched.
  if ((error as Error)?.name === 'AbortError') return error
  // fetch rejects with a TypeError when the network fails or CORS refuses.
  if (error instanceof TypeError) return new NetworkError(error.message, { cause: error })
  return error
}

const call = async <T>(request: () => Promise<T>): Promise<T> => {
  try {
    return await request()
  } catch (error) {
    throw await toError(error)
  }
}

/**
 * Sends complaints to a backend that speaks Redress wire protocol v1 (the
 * reference `@redress/server`, or your own). It makes one attempt per call;
 * the SDK's outbox decides retries.
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
  const client: KyInstance = ky.create({
    prefixUrl: `${options.endpoint.replace(/\/+$/, '')}/v1`,
    headers: options.headers,
    timeout: options.timeout ?? 10_000,
    retry: 0,
    credentials: 'omit',
    fetch: options.fetch,
  })
  const auth = (token: string) => ({ authorization: `Bearer ${token}` })
  const name = 'http'

  return {
    name,
    submit: (complaint, { idempotencyKey, signal }) =>
      call(async () =>
        receiptFrom(
          await client
            .post('complaints', {
              json: complaint,
              signal,
              headers: { 'idempotency-key': idempotencyKey },
            })
            .json(),
          name,
        ),
      ),
    status: (receipt, context) =>
      call(async () =>
        statusReportFrom(
          await client
            .get(`complaints/${encodeURIComponent(receipt.id)}`, {
              signal: context?.signal,
              headers: auth(receipt.token),
            })
            .json(),
          name,
        ),
      ),
    followUp: (receipt, answer, context) =>
      call(async () => {
        await client.post(`complaints/${encodeURIComponent(receipt.id)}/follow-up`, {
          json: answer,
          signal: context?.signal,
          headers: auth(receipt.token),
        })
      }),
  }
}
