/**
 * @module What a page sends: a complaint (with its money and metadata) and a
 * follow-up answer.
 */
import * as v from 'valibot'
import { CURRENCY_PATTERN, LIMITS, SEVERITIES } from '../index'
import { clean, email, nfc, requiredText, score, text, textProblem, timestamp } from './_rules'

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
