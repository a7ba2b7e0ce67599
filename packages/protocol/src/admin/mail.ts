/**
 * @module Mail in the admin API: the site's mail settings (`PATCH
 * /v1/admin/site` `{ mail }`), and the mails of one complaint as
 * `GET /v1/admin/complaints/{id}` lists them.
 */
import * as v from 'valibot'
import { LOCALES, type Locale } from '../index'
import { clean, isRecord, knownKeys, nfc } from './_valid'

/**
 * What a site's mail does: who sends it, which team addresses hear of
 * complaints that need a person, and whether customers get an acknowledgment.
 *
 * @example
 * const mail: MailSettings = { from: 'care@shop.example', team: ['ops@shop.example'], acknowledge: true }
 */
export interface MailSettings {
  /** The From address of the site's mail; `null`: the server's `REDRESS_MAIL_FROM`. */
  from: string | null
  /** Told of a new critical complaint, a remedy waiting for approval, a broken guarantee and an early-warning alert. */
  team: string[]
  /** The language of the team's mails (customers get theirs in the complaint's). @default 'en' */
  teamLocale: Locale
  /** Send the customer an acknowledgment with the reference and the remedy given. @default false */
  acknowledge: boolean
}

/**
 * What a mail is: to the customer (`acknowledgment`, `reply`, `follow_up`)
 * or to the site's team (`team_critical`, `team_approval`, `team_guarantee`,
 * `team_alert`, and `team_reply` when the customer wrote back from a mail's link),
 * or to one person of it (`team_invite`, `sign_in_link`).
 */
export type MailKind =
  | 'acknowledgment'
  | 'reply'
  | 'follow_up'
  | 'team_critical'
  | 'team_approval'
  | 'team_guarantee'
  | 'team_alert'
  | 'team_reply'
  | 'team_invite'
  | 'sign_in_link'

/**
 * Where a mail stands. `pending` until the SMTP server took it (`sent`), refused
 * the address for good (`bounced`), or the retries ran out (`failed`);
 * `not_sent` when the server has no SMTP configured (it was logged instead);
 * `suppressed` when the address unsubscribed or bounced before (nothing sent).
 */
export type MailState = 'pending' | 'sent' | 'bounced' | 'failed' | 'not_sent' | 'suppressed'

/** One mail of a complaint (or of an alert), in `ComplaintDetail.mails`, oldest first. */
export interface ComplaintMail {
  /** `mail_…`; its `Message-ID` is `<mail_…@host>`. */
  id: string
  kind: MailKind
  /** The one recipient. */
  to: string
  /** `null` until the worker wrote the mail (its first attempt). */
  subject: string | null
  state: MailState
  /** Attempts made so far (a `pending` mail with attempts is being retried). */
  attempts: number
  /** Why the last attempt did not succeed, or why nothing was sent. */
  lastError: string | null
  /** The plain-text body as sent (or as it would have been); `null` until the worker wrote it. */
  text: string | null
  createdAt: string
  /** When the SMTP server accepted it. */
  sentAt: string | null
}

/** The most team addresses a site may list; the longest address (RFC 5321). */
const TEAM_MAX = 10
const ADDRESS_MAX = 254

// Printable, no whitespace, and none of the characters that separate or
// quote addresses in a header (`,;<>()[]:"\`): a text that passes is one
// address however a mail library reads it.
const LOCAL = /^[^\s\p{Cc}<>()[\]\\,;:@"]{1,64}$/u
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u

/**
 * Whether `text` is one e-mail address the server will send to: a local
 * part without spaces or address punctuation, `@`, and a domain of at least
 * two labels; at most 254 characters. Stricter than what a complaint's
 * `contact.email` accepts, so a contact address a mail library could read as
 * two (`a,b@shop.example`) is never mailed.
 *
 * @example
 * isMailAddress('ada@example.com')  // true
 * isMailAddress('a,b@example.com')  // false
 * isMailAddress('ada@localhost')    // false
 */
export function isMailAddress(text: string): boolean {
  if (text.length > ADDRESS_MAX) return false
  const at = text.lastIndexOf('@')
  if (at <= 0) return false
  const labels = text.slice(at + 1).split('.')
  return LOCAL.test(text.slice(0, at)) && labels.length >= 2 && labels.every((l) => LABEL.test(l))
}

/** One address of the settings, named `field` (`mail.team[1]`), trimmed and NFC. */
/* @__NO_SIDE_EFFECTS__ */
function address(field: string, message: string) {
  return v.pipe(
    v.string(message),
    v.maxLength(ADDRESS_MAX * 2, message),
    clean(field),
    nfc,
    v.trim(),
    v.check(isMailAddress, message),
  )
}

const FROM_MESSAGE = 'from is an e-mail address such as care@shop.example, or null'
const TEAM_MESSAGE = /* @__PURE__ */ (() =>
  `team is an array of at most ${TEAM_MAX} e-mail addresses`)()
const TEAM_ITEM_MESSAGE = 'Each team address is an e-mail address such as ops@shop.example'

/** The site's mail settings as a client sends them: every key optional. */
export interface MailSettingsInput {
  from?: string | null | undefined
  team?: string[] | undefined
  teamLocale?: Locale | undefined
  acknowledge?: boolean | undefined
}

/**
 * `mail` of `PATCH /v1/admin/site` (`null` there resets it): `{ from?, team?,
 * teamLocale?, acknowledge? }`, replacing what is stored. `from` an address
 * or `null` (default), `team` at most 10 addresses (duplicates, ignoring
 * case, dropped; default none), `teamLocale` one of `LOCALES` (default
 * `en`), `acknowledge` a boolean (default `false`).
 * Addresses are trimmed and NFC. The output is `MailSettings`.
 *
 * @example
 * parseAdmin(SitePatchSchema, { mail: { team: ['ops@shop.example', 'OPS@shop.example'] } })
 * // { ok: true, value: { mail: { from: null, team: ['ops@shop.example'], teamLocale: 'en', acknowledge: false } } }
 * parseAdmin(SitePatchSchema, { mail: { from: 'care' } })
 * // { ok: false, message: 'from is an e-mail address such as care@shop.example, or null', field: 'mail.from' }
 */
export const MailSettingsSchema = /* @__PURE__ */ (() =>
  v.pipe(
    v.custom<MailSettingsInput>(
      isRecord,
      'mail is { from?, team?, teamLocale?, acknowledge? } or null',
    ),
    knownKeys<MailSettingsInput>(['from', 'team', 'teamLocale', 'acknowledge']),
    v.object({
      from: v.optional(v.nullable(address('mail.from', FROM_MESSAGE)), null),
      team: v.optional(
        v.pipe(
          v.array(address('mail.team', TEAM_ITEM_MESSAGE), TEAM_MESSAGE),
          v.maxLength(TEAM_MAX, TEAM_MESSAGE),
          v.transform((list) =>
            list.filter(
              (item, index) =>
                list.findIndex((other) => other.toLowerCase() === item.toLowerCase()) === index,
            ),
          ),
        ),
        () => [],
      ),
      teamLocale: v.optional(
        v.picklist(LOCALES, `teamLocale is one of ${LOCALES.join(', ')}`),
        'en',
      ),
      acknowledge: v.optional(v.boolean('acknowledge is true or false'), false),
    }),
    v.transform((mail): MailSettings => mail),
  ))()
