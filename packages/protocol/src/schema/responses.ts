/**
 * @module What a backend answers: a receipt and its remedy, a status report
 * and its replies, a site's public settings, an error body.
 */
import * as v from 'valibot'
import {
  ATTACHMENT_TYPES,
  type AttachmentType,
  ERROR_CODES,
  FAILURE_TYPES,
  HELP_LIMITS,
  ISO_DURATION,
  LIMITS,
  NOTICE_LIMITS,
  STATUSES,
} from '../index'
import { clean, nfc, requiredText, text, timestamp } from './_rules'
import { MoneySchema } from './requests'

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

/** One locale's self-help of a category. */
const HelpSchema = (locale: string) =>
  v.object({
    answer: v.optional(requiredText(HELP_LIMITS.answer, `help.${locale}.answer`, true)),
    links: v.optional(
      v.pipe(
        v.array(
          v.object({
            label: requiredText(HELP_LIMITS.label, 'label'),
            url: requiredText(HELP_LIMITS.url, 'url'),
          }),
        ),
        v.maxLength(HELP_LIMITS.links),
      ),
    ),
  })

/** The reply to `GET /v1/sites/{publicKey}`: the categories, guarantee and notices a page may show. */
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
        // Locales a client has no texts for are dropped, as unknown fields are.
        labels: v.optional(
          v.object({
            en: v.optional(requiredText(LIMITS.categoryLabel, 'labels.en')),
            'zh-CN': v.optional(requiredText(LIMITS.categoryLabel, 'labels.zh-CN')),
          }),
        ),
        help: v.optional(
          v.object({ en: v.optional(HelpSchema('en')), 'zh-CN': v.optional(HelpSchema('zh-CN')) }),
        ),
      }),
      'categories must be an array',
    ),
    guarantee: v.nullable(
      v.object({ text: requiredText(LIMITS.guarantee, 'guarantee.text', true) }),
    ),
    notices: v.optional(
      v.array(
        v.object({
          id: requiredText(LIMITS.id, 'id'),
          messages: v.object({
            en: v.optional(requiredText(NOTICE_LIMITS.message, 'messages.en', true)),
            'zh-CN': v.optional(requiredText(NOTICE_LIMITS.message, 'messages.zh-CN', true)),
          }),
          level: v.picklist(['info', 'warning'], 'level must be info or warning'),
          page: v.nullable(requiredText(NOTICE_LIMITS.page, 'page')),
          startsAt: timestamp('startsAt'),
          endsAt: v.nullable(timestamp('endsAt')),
        }),
        'notices must be an array',
      ),
    ),
    attachments: v.optional(
      v.object({
        max: v.pipe(v.number(), v.integer(), v.minValue(0)),
        maxBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
        // Types a client cannot send are dropped, as unknown fields are.
        types: v.pipe(
          v.array(v.string(), 'attachments.types must be an array'),
          v.transform((types) =>
            types.filter((type): type is AttachmentType =>
              (ATTACHMENT_TYPES as readonly string[]).includes(type),
            ),
          ),
        ),
      }),
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
