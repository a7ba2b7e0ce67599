/**
 * @module The mails' texts, one plain template function per kind of mail in
 * each language (`en.ts`, `zh-CN.ts`), and the status page's words. A
 * template gets everything it shows as input and reads nothing itself.
 */
import type { Recovery, Severity, Status } from '@redress/protocol'
import type { AlertRule, MailKind } from '@redress/protocol/admin'
import { type Composed, type Rendered, toHtml, toText } from './_blocks'
import { en } from './en'
import { zhCN } from './zh-CN'

export { type Block, type Composed, escapeHtml, type Rendered } from './_blocks'

/** What every mail shows: whose it is and which complaint. */
export interface MailBase {
  siteName: string
  /** The reference the customer can quote, `R-7K3Q9`. */
  reference: string
}

/** What every customer mail carries besides: where to see the status, how to stop mail. */
export interface CustomerMail extends MailBase {
  statusUrl: string
  unsubscribeUrl: string
}

export interface AcknowledgmentInput extends CustomerMail {
  /** What the customer was given at once, in order (the apology first). */
  remedies: Recovery[]
}

export interface ReplyInput extends CustomerMail {
  message: string
  author: string | null
}

export interface FollowUpInput extends CustomerMail {
  /** The links preselecting a score of 1, 2, 3, 4 and 5. */
  scores: string[]
  /** The links preselecting "solved" and "not solved". */
  yes: string
  no: string
}

/** What every team mail shows besides: the complaint's facts and where to handle it. */
export interface TeamMail extends MailBase {
  inboxUrl: string
  category: string
  severity: Severity
}

export interface TeamCriticalInput extends TeamMail {
  /** The customer's words, as they sent them. */
  description: string
}

export interface TeamApprovalInput extends TeamMail {
  /** The remedy's kind (`coupon`, `refund`, …). */
  kind: string
  /** Why it waits (a `PendingReason`), if known. */
  reason: string | null
  /** Its value, formatted, when it has one. */
  value: string | null
}

export interface TeamGuaranteeInput extends TeamMail {
  /** The promise as customers were told it. */
  promise: string
  /** The deadline, formatted. */
  dueAt: string
}

export interface TeamReplyInput extends TeamMail {
  /** The customer's words, as they wrote them on the status page. */
  message: string
}

/** A link for one person of the team: an invitation to set a password, or a one-time sign-in. */
export interface PersonLinkInput {
  siteName: string
  /** The person's name. */
  name: string
  url: string
  /** Who invited them (an invitation only). */
  invitedBy?: string | undefined
}

/** An early-warning alert: what crossed which rule, and where the complaints are. */
export interface TeamAlertInput {
  siteName: string
  /** The inbox, filtered to the complaints the alert counted. */
  inboxUrl: string
  rule: AlertRule
  /** What it counted, in the team's words: a category's label, a failure type; `null`: all complaints. */
  group: string | null
  /** With `rule.by: 'failureType'`, `group` is a failure type's id (the template words it). */
  count: number
  /** A spike's average complaints per day before it. */
  baseline: number | null
  /** When the first complaint counted arrived, formatted. */
  since: string
}

/** The status page's words (`routes/public/status-page.ts`). */
export interface PageTexts {
  title: string
  /** `{reference}` and `{site}` filled in. */
  heading: string
  status: string
  remedies: string
  replies: string
  replyFrom: string
  ourReply: string
  question: string
  scale: string
  resolved: string
  yes: string
  no: string
  comment: string
  /** The three optional taps: how fair the remedy, the process and the treatment were. */
  fairness: string
  fairRemedy: string
  fairProcess: string
  fairTreatment: string
  send: string
  missing: string
  thanks: string
  reopened: string
  answered: string
  /** The customer's own form: writing back. */
  writeBack: string
  message: string
  sendMessage: string
  messageMissing: string
  messageSent: string
  messageDuplicate: string
  tooManyMessages: string
  yourMessages: string
  unsubscribeTitle: string
  /** `{address}` and `{site}` filled in. */
  unsubscribeAsk: string
  unsubscribeButton: string
  unsubscribed: string
}

/** One language's mails and words. */
export interface MailTemplates {
  acknowledgment(input: AcknowledgmentInput): Composed
  reply(input: ReplyInput): Composed
  follow_up(input: FollowUpInput): Composed
  team_critical(input: TeamCriticalInput): Composed
  team_approval(input: TeamApprovalInput): Composed
  team_guarantee(input: TeamGuaranteeInput): Composed
  team_alert(input: TeamAlertInput): Composed
  team_reply(input: TeamReplyInput): Composed
  team_invite(input: PersonLinkInput): Composed
  sign_in_link(input: PersonLinkInput): Composed
  /** A remedy in a line or two, as the customer reads it. */
  remedy(recovery: Recovery): string
  /** A status in words. */
  statuses: Record<Status, string>
  /** The built-in categories in words, for a site that gave them no label. */
  categories: Record<string, string>
  page: PageTexts
}

/** The inputs of each kind of mail. */
export interface MailInputs {
  acknowledgment: AcknowledgmentInput
  reply: ReplyInput
  follow_up: FollowUpInput
  team_critical: TeamCriticalInput
  team_approval: TeamApprovalInput
  team_guarantee: TeamGuaranteeInput
  team_alert: TeamAlertInput
  team_reply: TeamReplyInput
  team_invite: PersonLinkInput
  sign_in_link: PersonLinkInput
}

/** The languages mails are written in. */
export type MailLocale = 'en' | 'zh-CN'

const LANGUAGES: Record<MailLocale, MailTemplates> = { en, 'zh-CN': zhCN }

/**
 * One language's templates and words.
 *
 * @example
 * templates('zh-CN').statuses.resolved // '已解决'
 */
export const templates = (locale: MailLocale): MailTemplates => LANGUAGES[locale]

/**
 * Write one mail: its subject, plain text and HTML.
 *
 * @example
 * renderMail('reply', 'en', { siteName: 'Acme', reference: 'R-7K3Q9', statusUrl, unsubscribeUrl, message: 'Found it', author: 'Ana' })
 */
export function renderMail<K extends MailKind>(
  kind: K,
  locale: MailLocale,
  input: MailInputs[K],
): Rendered {
  const template = LANGUAGES[locale][kind] as (input: MailInputs[K]) => Composed
  const { subject, blocks } = template(input)
  return { subject, text: toText(blocks), html: toHtml(locale, subject, blocks) }
}

/**
 * Fill `{name}` placeholders.
 *
 * @example
 * fill('Report {reference}', { reference: 'R-7K3Q9' }) // 'Report R-7K3Q9'
 */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
