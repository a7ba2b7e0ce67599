/**
 * @module The live stream and the insights of the admin API.
 */
import * as v from 'valibot'
import type { FailureType, Severity } from '../index'
import { at } from './_valid'
import { ADMIN_LIMITS, type RootCause } from './words'

/**
 * One message of `GET /v1/admin/stream` (server-sent events): a row of the
 * site's timeline as it is recorded.
 *
 * @example
 * // id: 42
 * // event: received
 * // data: {"eventId":"42","complaintId":"cmp_…","type":"received","at":"…","data":{…}}
 */
export interface LiveEvent {
  /** The event's id as a decimal string, the same as the SSE `id`. */
  eventId: string
  complaintId: string
  type: string
  /** When it was recorded. */
  at: string
  data: Record<string, unknown>
}

/** Mean fairness answers (1–5) of one failure type and severity; `null` where none was given. */
export interface FairnessGroup {
  failureType: FailureType
  severity: Severity
  answers: number
  remedy: number | null
  process: number | null
  treatment: number | null
}

/**
 * `GET /v1/admin/insights?days=N` (N 7–365, default 30): the learning loop,
 * computed by the server over the site's complaints received in the last N
 * UTC days (today included). Durations in milliseconds, money in minor units
 * of `currency`, shares from 0 to 1 (`null` when there is nothing to divide).
 */
export interface Insights {
  days: number
  /** First and last UTC day, YYYY-MM-DD. */
  from: string
  to: string
  currency: string
  total: number
  /** One entry per day of the range, zero-filled, oldest first. */
  daily: Array<{ day: string; outcome: number; process: number; interaction: number }>
  /** The 10 most frequent, most first. */
  topCategories: Array<{ category: string; failureType: FailureType; count: number }>
  /** The 10 most frequent page URLs (origin and path, no query), most first. */
  topPages: Array<{ page: string; count: number }>
  /** From receipt to the owner's first reply. */
  timeToFirstResponse: { medianMs: number | null; count: number }
  /** From receipt to the first remedy given (not an apology or escalation). */
  timeToRecovery: { medianMs: number | null; count: number }
  /** Complaints that got a remedy in the same session: within 30 minutes of receipt. */
  recoveredOnTheSpot: { count: number; share: number | null }
  /** Follow-up answers: `satisfiedShare` is the share of scores 4–5, `madeItRightShare` of `resolved: true`. */
  satisfaction: { answers: number; satisfiedShare: number | null; madeItRightShare: number | null }
  /** Customers (by `customer.id`) with two or more complaints within 30 days, and those complaints. */
  repeatFailures: { customers: number; complaints: number }
  /** Diagnosed root causes, most first; `recurring` is how many categories saw it more than once. */
  rootCauses: Array<{ cause: RootCause; count: number; recurring: number }>
  /** By failure type, then severity, where any answers were given. */
  fairness: FairnessGroup[]
  /** Money given per day against the policy's per-site daily budget. */
  spend: { daily: Array<{ day: string; spent: number }>; budgetPerDay: number; total: number }
  /**
   * Categories whose count today exceeds three times their median daily count
   * over the 14 days before (and is at least 3, so a quiet category's first
   * complaint is not an alarm).
   */
  spikes: Array<{ category: string; day: string; count: number; median14: number }>
  /**
   * Complaints avoided by self-help: forms closed without sending after the
   * customer opened one of the category's help links, counted once per
   * client, category and day; most first.
   */
  avoided: { total: number; byCategory: Array<{ category: string; count: number }> }
  /**
   * Per person who owns complaints received in the range (by their account;
   * a name typed by a script is not a person): how many, the median time to
   * the first reply of those answered, and the share that got a remedy.
   */
  people: Array<{
    id: string
    name: string
    complaints: number
    firstResponseMedianMs: number | null
    recoveryShare: number | null
  }>
}

// ---------------------------------------------------------------------------
// Requests

/**
 * `GET /v1/admin/stream`: where to resume, as `{ 'Last-Event-ID':
 * c.req.header('last-event-id'), after: c.req.query('after') }`. The header
 * wins whenever it is sent (even empty); each is trimmed; empty is none; else
 * 1–18 digits. The output is the event id as a bigint.
 *
 * @example
 * parseAdmin(LiveQuerySchema, { after: 'x' })
 * // { ok: false, message: 'after is an event id from this stream', field: 'after' }
 */
export const LiveQuerySchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.object({
      'Last-Event-ID': v.optional(v.string('Last-Event-ID is an event id from this stream')),
      after: v.optional(v.string('after is an event id from this stream')),
    }),
    v.rawTransform(({ dataset, addIssue, NEVER }): { after: bigint | undefined } => {
      const input = dataset.value
      const header = input['Last-Event-ID']
      const [field, text] =
        header !== undefined ? ['Last-Event-ID', header.trim()] : ['after', input.after?.trim()]
      if (text === undefined || text === '') return { after: undefined }
      // 18 digits stay inside bigint whatever they are.
      if (/^\d{1,18}$/.test(text)) return { after: BigInt(text) }
      addIssue({ message: `${field} is an event id from this stream`, path: [at(field!, input)] })
      return NEVER
    }),
  ))()
export type LiveQuery = v.InferInput<typeof LiveQuerySchema>

const DAYS_MESSAGE = /* @__PURE__ */ (() =>
  `days is a whole number from ${ADMIN_LIMITS.insightDaysMin} to ${ADMIN_LIMITS.insightDaysMax}`)()

/**
 * `GET /v1/admin/insights?days=N`: 1–3 digits from 7 to 365, 30 when absent
 * (an empty value is refused).
 *
 * @example
 * parseAdmin(InsightsQuerySchema, {}) // { ok: true, value: { days: 30 } }
 */
export const InsightsQuerySchema = /* @__PURE__ */ (() =>
  v.object({
    days: v.optional(
      v.pipe(
        v.string(DAYS_MESSAGE),
        v.regex(/^\d{1,3}$/, DAYS_MESSAGE),
        v.transform(Number),
        v.minValue(ADMIN_LIMITS.insightDaysMin, DAYS_MESSAGE),
        v.maxValue(ADMIN_LIMITS.insightDaysMax, DAYS_MESSAGE),
      ),
      String(ADMIN_LIMITS.insightDaysDefault),
    ),
  }))()
export type InsightsQuery = v.InferInput<typeof InsightsQuerySchema>
