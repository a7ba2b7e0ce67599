/**
 * @module Runtime validators for wire protocol v1, built with valibot so the
 * server and the browser check exactly the same rules.
 *
 * Free of side effects, so a bundle keeps only what it uses (`cleanText`
 * alone, for the admin schemas, costs no other schema): the helpers are
 * marked `/* @__NO_SIDE_EFFECTS__ *\/`, and what is built at module level
 * sits in `/* @__PURE__ *\/ (() => …)()`, since bundlers keep template
 * literals and method calls in module code otherwise.
 */
import * as v from 'valibot'
import {
  type Complaint,
  CURRENCY_PATTERN,
  EMAIL_PATTERN,
  ERROR_CODES,
  type ErrorBody,
  FAILURE_TYPES,
  type FollowUp,
  ISO_DURATION,
  LIMITS,
  type Receipt,
  type Recovery,
  type Reply,
  SEVERITIES,
  type SiteConfig,
  STATUSES,
  type StatusReport,
} from '../index'

// What no string on the wire may hold: C0 controls, DEL and C1 controls
// (PostgreSQL refuses U+0000 outright; the rest corrupt logs, CSV and
// terminals), and unpaired surrogates, which have no UTF-8 form. With the `u`
// flag a surrogate pair is one code point, outside the range, so only unpaired
// halves match; `String.prototype.isWellFormed` would say the same but is
// newer than the ES2022 the browser bundles target. Free text keeps tab, line
// feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN_IN_LINE = /[\0-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN_IN_TEXT = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u

/** Why `value` may not be `field`, naming the first offending character; `undefined` when it may. */
function textProblem(value: string, field: string, multiline?: boolean): string | undefined {
  const found = (multiline ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE).exec(value)?.[0]
  if (found === undefined) return undefined
  const code = found.charCodeAt(0)
  const what =
    code >= 0xd800
      ? 'an unpaired surrogate'
      : code === 0x0a || code === 0x0d
        ? 'a line break'
        : 'a control character'
  return `${field} contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
}

/** Refuses a string `textProblem` objects to; anything else passes to the schema beside it. */
/* @__NO_SIDE_EFFECTS__ */
function clean<T>(field: string, multiline?: boolean) {
  return v.check<T, v.ErrorMessage<v.CheckIssue<T>>>(
    (input) => typeof input !== 'string' || !textProblem(input, field, multiline),
    (issue) => textProblem(issue.input as string, field, multiline) ?? '',
  )
}

// Normalised before the length checks, so what is stored is within its limit:
// NFC lengthens a few characters (U+0958 becomes two units).
const nfc = /* @__PURE__ */ v.transform((input: string) => input.normalize('NFC'))

/** Optional text: one line unless `multiline` (free text keeps tab and line breaks). */
/* @__NO_SIDE_EFFECTS__ */
function text(max: number, field: string, multiline?: boolean) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field, multiline),
    nfc,
    v.maxLength(max, `${field} must be at most ${max} characters`),
  )
}

/* @__NO_SIDE_EFFECTS__ */
function requiredText(max: number, field: string, multiline?: boolean) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field, multiline),
    v.trim(),
    nfc,
    v.minLength(1, `${field} is required`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  )
}

/* @__NO_SIDE_EFFECTS__ */
function timestamp(field: string) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field),
    v.isoTimestamp(`${field} must be an ISO 8601 timestamp, e.g. 2026-11-23T10:00:00Z`),
  )
}

const email = /* @__PURE__ */ (() =>
  v.pipe(
    v.string('email must be a string'),
    clean<string>('email'),
    nfc,
    v.maxLength(LIMITS.email, `email must be at most ${LIMITS.email} characters`),
    v.regex(EMAIL_PATTERN, 'email must be a valid email address'),
  ))()

/* @__NO_SIDE_EFFECTS__ */
function score(field: string) {
  return v.picklist([1, 2, 3, 4, 5], `${field} must be a whole number from 1 to 5`)
}

/** Money in minor units of an ISO 4217 currency. */
export const MoneySchema = /* @__PURE__ */ (() =>
  v.object({
    value: v.pipe(
      v.number('value must be a number'),
      v.integer('value must be whole minor units (cents, fen)'),
      v.minValue(0, 'value must not be negative'),
      v.maxValue(Number.MAX_SAFE_INTEGER, 'value is too large'),
    ),
    currency: v.pipe(
      v.string('currency must be a string'),
      v.regex(CURRENCY_PATTERN, 'currency must be an ISO 4217 code such as EUR'),
    ),
  }))()

const METADATA_VALUE = /* @__PURE__ */ (() =>
  `metadata values must be strings of at most ${LIMITS.metadataValue} characters, numbers or booleans`)()

const MetadataSchema = /* @__PURE__ */ (() =>
  v.pipe(
    // `record` alone would take an array as an object with numeric keys.
    v.custom<Record<string, unknown>>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      'metadata must be an object',
    ),
    // Counted before any entry is read, so a huge object costs no more than a small one.
    v.check(
      (record) => Object.keys(record).length <= LIMITS.metadataEntries,
      `metadata may have at most ${LIMITS.metadataEntries} entries`,
    ),
    // Keys are checked here, on the object, so a refused key never appears in `field`.
    v.check(
      (record) => Object.keys(record).every((key) => !textProblem(key, 'metadata key')),
      (issue) =>
        Object.keys(issue.input)
          .map((key) => textProblem(key, 'metadata key'))
          .find(Boolean) ?? '',
    ),
    v.record(
      v.pipe(
        v.string(),
        nfc,
        v.maxLength(
          LIMITS.metadataKey,
          `metadata keys must be at most ${LIMITS.metadataKey} characters`,
        ),
      ),
      // Checked after the union, which would otherwise replace the reason with its own message.
      v.pipe(
        v.union([v.string(), v.number(), v.boolean()], METADATA_VALUE),
        clean<string | number | boolean>('metadata value', true),
        v.transform((value) => (typeof value === 'string' ? value.normalize('NFC') : value)),
        // `1e999` parses as Infinity, which JSON cannot store.
        v.check(
          (value) =>
            typeof value === 'string'
              ? value.length <= LIMITS.metadataValue
              : typeof value !== 'number' || Number.isFinite(value),
          METADATA_VALUE,
        ),
      ),
      'metadata must be an object',
    ),
  ))()

/** A complaint as posted to `POST /v1/complaints`. Unknown fields are dropped. */
export const ComplaintSchema = /* @__PURE__ */ (() =>
  v.object(
    {
      site: requiredText(LIMITS.site, 'site'),
      category: requiredText(LIMITS.category, 'category'),
      severity: v.picklist(SEVERITIES, `severity must be one of ${SEVERITIES.join(', ')}`),
      description: requiredText(LIMITS.description, 'description', true),
      contact: v.optional(
        v.object({ email: v.optional(email), name: v.optional(text(LIMITS.name, 'name')) }),
      ),
      orderRef: v.optional(text(LIMITS.orderRef, 'orderRef')),
      orderValue: v.optional(MoneySchema),
      customer: v.optional(
        v.object({ id: v.optional(text(LIMITS.id, 'customer.id')), email: v.optional(email) }),
      ),
      page: v.optional(
        v.object({
          url: v.optional(text(LIMITS.url, 'page.url')),
          title: v.optional(text(LIMITS.title, 'page.title')),
          referrer: v.optional(text(LIMITS.url, 'page.referrer')),
        }),
      ),
      client: v.optional(
        v.object({
          locale: v.optional(text(LIMITS.locale, 'client.locale')),
          userAgent: v.optional(text(LIMITS.userAgent, 'client.userAgent')),
          sdk: v.optional(text(LIMITS.sdk, 'client.sdk')),
        }),
      ),
      metadata: v.optional(MetadataSchema),
      customerToken: v.optional(text(LIMITS.customerToken, 'customerToken')),
      occurredAt: v.optional(timestamp('occurredAt')),
      signals: v.optional(
        v.object({
          honeypot: v.optional(text(LIMITS.honeypot, 'signals.honeypot', true)),
          fillMs: v.optional(
            v.pipe(
              v.number('signals.fillMs must be a number'),
              v.integer('signals.fillMs must be whole milliseconds'),
              v.minValue(0, 'signals.fillMs must not be negative'),
            ),
          ),
        }),
      ),
    },
    'complaint must be a JSON object',
  ))()

const message = /* @__PURE__ */ (() => requiredText(LIMITS.message, 'message', true))()

/** A remedy, discriminated by `kind`. */
export const RecoverySchema = /* @__PURE__ */ (() =>
  v.variant(
    'kind',
    [
      v.object({ kind: v.literal('apology'), message }),
      v.object({
        kind: v.literal('coupon'),
        code: requiredText(LIMITS.couponCode, 'code'),
        label: requiredText(LIMITS.label, 'label'),
        expiresAt: v.optional(timestamp('expiresAt')),
        terms: v.optional(text(LIMITS.terms, 'terms', true)),
      }),
      v.object({ kind: v.literal('refund'), amount: MoneySchema, message }),
      v.object({ kind: v.literal('replacement'), message }),
      v.object({ kind: v.literal('correction'), message }),
      v.object({
        kind: v.literal('escalation'),
        message,
        contactWithin: v.optional(
          v.pipe(
            v.string(),
            v.regex(ISO_DURATION, 'contactWithin must be an ISO 8601 duration such as PT2H'),
          ),
        ),
      }),
    ],
    'recovery kind must be one of apology, coupon, refund, replacement, correction, escalation',
  ))()

const StatusSchema = /* @__PURE__ */ (() =>
  v.picklist(STATUSES, `status must be one of ${STATUSES.join(', ')}`))()

/** The reply to `POST /v1/complaints`. */
export const ReceiptSchema = /* @__PURE__ */ (() =>
  v.object({
    id: requiredText(LIMITS.id, 'id'),
    reference: requiredText(LIMITS.id, 'reference'),
    status: StatusSchema,
    token: requiredText(1024, 'token'),
    recovery: v.nullable(RecoverySchema),
    receivedAt: timestamp('receivedAt'),
  }))()

/** An owner's reply to the customer, as a status report lists it. */
export const ReplySchema = /* @__PURE__ */ (() =>
  v.object({
    message: requiredText(LIMITS.reply, 'message', true),
    author: v.optional(requiredText(LIMITS.author, 'author')),
    at: timestamp('at'),
  }))()

/** The reply to `GET /v1/complaints/{id}`. */
export const StatusReportSchema = /* @__PURE__ */ (() =>
  v.object({
    id: requiredText(LIMITS.id, 'id'),
    reference: requiredText(LIMITS.id, 'reference'),
    status: StatusSchema,
    recoveries: v.array(RecoverySchema),
    replies: v.optional(v.array(ReplySchema, 'replies must be an array')),
    updatedAt: timestamp('updatedAt'),
  }))()

/** The body of `POST /v1/complaints/{id}/follow-up`. */
export const FollowUpSchema = /* @__PURE__ */ (() =>
  v.object(
    {
      score: score('score'),
      resolved: v.boolean('resolved must be true or false'),
      comment: v.optional(text(LIMITS.comment, 'comment', true)),
      fairness: v.optional(
        v.object({
          remedy: v.optional(score('fairness.remedy')),
          process: v.optional(score('fairness.process')),
          treatment: v.optional(score('fairness.treatment')),
        }),
      ),
    },
    'follow-up must be a JSON object',
  ))()

/** The reply to `GET /v1/sites/{publicKey}`: the categories and guarantee a page may show. */
export const SiteConfigSchema = /* @__PURE__ */ (() =>
  v.object({
    categories: v.array(
      v.object({
        id: requiredText(LIMITS.category, 'id'),
        failureType: v.picklist(
          FAILURE_TYPES,
          `failureType must be one of ${FAILURE_TYPES.join(', ')}`,
        ),
        label: v.optional(requiredText(LIMITS.categoryLabel, 'label')),
      }),
      'categories must be an array',
    ),
    guarantee: v.nullable(
      v.object({ text: requiredText(LIMITS.guarantee, 'guarantee.text', true) }),
    ),
  }))()

/** `{ error: { code, message, field? } }` */
export const ErrorBodySchema = /* @__PURE__ */ (() =>
  v.object({
    error: v.object({
      code: v.picklist(ERROR_CODES),
      message: v.pipe(v.string(), clean<string>('message', true), nfc),
      field: v.optional(v.pipe(v.string(), clean<string>('field'), nfc)),
    }),
  }))()

/** One reason input was refused, with the field as a dotted path (`""` for the whole value). */
export interface ValidationIssue {
  field: string
  message: string
}

export type Validation<T> =
  | { success: true; output: T; issues?: undefined }
  | { success: false; output?: undefined; issues: ValidationIssue[] }

/**
 * One string checked by the rules every string of the protocol follows:
 * refused, naming `field`, when it holds a control character (C0, DEL or C1;
 * with `multiline`, tab and line breaks are kept) or an unpaired surrogate;
 * otherwise returned NFC-normalised. Length limits and trimming stay with the
 * caller. For backends that check their own fields by hand.
 *
 * @example
 * cleanText('Cafe\u0301', 'label') // { success: true, output: 'Café' }
 * cleanText('Line 1\nLine 2', 'message', { multiline: true }).success // true
 * cleanText('A\u0000', 'label').issues
 * // [{ field: 'label', message: 'label contains a control character (U+0000)' }]
 */
export function cleanText(
  value: string,
  field: string,
  options: { multiline?: boolean } = {},
): Validation<string> {
  const problem = textProblem(value, field, options.multiline)
  return problem
    ? { success: false, issues: [{ field, message: problem }] }
    : { success: true, output: value.normalize('NFC') }
}

/* @__NO_SIDE_EFFECTS__ */
function validator<T>(schema: v.GenericSchema<unknown, T>) {
  return (input: unknown): Validation<T> => {
    const result = v.safeParse(schema, input)
    if (result.success) return { success: true, output: result.output }
    return {
      success: false,
      issues: result.issues.map((issue) => ({
        field: v.getDotPath(issue) ?? '',
        message: issue.message,
      })),
    }
  }
}

/**
 * Check a complaint body; on success `output` is trimmed, NFC-normalised and
 * stripped of unknown fields.
 *
 * @example
 * const result = validateComplaint(await request.json())
 * if (!result.success) return error(400, 'invalid_request', result.issues[0].message, result.issues[0].field)
 */
export const validateComplaint: (input: unknown) => Validation<Complaint> =
  /* @__PURE__ */ validator(ComplaintSchema)

/** Check a receipt sent back by a backend. */
export const validateReceipt: (input: unknown) => Validation<Receipt> =
  /* @__PURE__ */ validator(ReceiptSchema)

/** Check a status report sent back by a backend. */
export const validateStatusReport: (input: unknown) => Validation<StatusReport> =
  /* @__PURE__ */ validator(StatusReportSchema)

/** Check an owner's reply before it is shown to the customer. */
export const validateReply: (input: unknown) => Validation<Reply> =
  /* @__PURE__ */ validator(ReplySchema)

/** Check a follow-up answer. */
export const validateFollowUp: (input: unknown) => Validation<FollowUp> =
  /* @__PURE__ */ validator(FollowUpSchema)

/** Check a remedy before it is offered or stored. */
export const validateRecovery: (input: unknown) => Validation<Recovery> =
  /* @__PURE__ */ validator(RecoverySchema)

/** Check a site's public settings sent back by a backend (`GET /v1/sites/{publicKey}`). */
export const validateSiteConfig: (input: unknown) => Validation<SiteConfig> =
  /* @__PURE__ */ validator(SiteConfigSchema)

/** Check an error body. */
export const validateErrorBody: (input: unknown) => Validation<ErrorBody> =
  /* @__PURE__ */ validator(ErrorBodySchema)
