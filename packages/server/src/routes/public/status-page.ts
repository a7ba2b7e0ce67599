/**
 * @module The pages a customer mail's links open, to mount at `/v1`:
 * `GET /r/{token}` (the complaint's status, remedies and replies, a form to
 * write back, and for a follow-up mail the answer form with the clicked
 * answer preselected), `POST /r/{token}` (records that answer, once per
 * mail, or the customer's message), `GET /u/{token}`
 * (asks) and `POST /u/{token}` (unsubscribes: RFC 8058 one-click, and the
 * page's own button). Plain HTML under a strict CSP, no script, no cookies;
 * a GET never changes anything, so mail scanners that follow links record
 * nothing.
 */
import type { FollowUp } from '@redress/protocol'
import { parseAdmin, ReplyBodySchema } from '@redress/protocol/admin'
import { validateFollowUp } from '@redress/protocol/schema'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Tables } from '../../db/schema'
import { readBody } from '../../http'
import {
  answerable,
  answerFollowUp,
  customerMessages,
  FAIRNESS_SIDES,
  type FairnessSide,
  isSuppressed,
  type LinkAnswer,
  linkKey,
  linkStatus,
  type OpenedLink,
  openLink,
  PAGE_CSP,
  problemPage,
  type StatusPageView,
  statusPage,
  templates,
  unsubscribe,
  unsubscribePage,
  writeBack,
} from '../../mail'

/** What the pages take: the server secret (the links' key is derived from it), and a clock. */
export interface StatusPageOptions {
  secret: string
  /** When a link is checked against its expiry. @default () => new Date() */
  now?: (() => Date) | undefined
}

/** A form post's size: a message of 5000 characters, percent-encoded, and a few short fields. */
const FORM_MAX = 64 * 1024

function page(c: Context, html: string, status: 200 | 400 | 404 | 409 | 410 | 429 = 200) {
  c.header('content-security-policy', PAGE_CSP)
  // The token is in the URL: no cache, no referrer, no index may keep it.
  c.header('cache-control', 'no-store')
  c.header('referrer-policy', 'no-referrer')
  c.header('x-robots-tag', 'noindex, nofollow')
  c.header('x-frame-options', 'DENY')
  c.header('x-content-type-options', 'nosniff')
  return c.html(html, status)
}

const refused = (c: Context, opened: Extract<OpenedLink, { ok: false }>) =>
  page(c, problemPage(opened.reason), opened.reason === 'expired' ? 410 : 404)

/** The preselected part of the answer a follow-up link stands for. */
const preselected = (answer: LinkAnswer) => ({
  score: /^[1-5]$/.test(answer) ? Number(answer) : null,
  resolved: answer === 'y' ? true : answer === 'n' ? false : null,
})

/**
 * The status and unsubscribe pages, a sub-app for `/v1`.
 *
 * @example
 * app.route('/v1', statusPageRoutes(db, { secret }))
 * // GET /v1/r/r.mail_….4.… → 200 the status page, the score 4 preselected
 */
export function statusPageRoutes(db: Kysely<Tables>, options: StatusPageOptions): Hono {
  const key = linkKey(options.secret)
  const now = options.now ?? (() => new Date())
  const routes = new Hono()

  async function show(
    c: Context,
    opened: Extract<OpenedLink, { ok: true }>,
    extra: {
      notice?: string | null
      form?: StatusPageView['form']
      writeBack?: { draft: string; missing: boolean }
      status?: 200 | 400 | 409 | 429
    } = {},
  ) {
    const [report, messages] = await Promise.all([
      linkStatus(db, opened.complaint),
      customerMessages(db, opened.complaint.id),
    ])
    const mail = opened.mail
    const form =
      extra.form ??
      (answerable(mail) ? { ...preselected(opened.answer), comment: '', missing: false } : null)
    return page(
      c,
      statusPage({
        locale: mail.locale,
        siteName: opened.siteName,
        reference: report.reference,
        status: report.status,
        remedies: report.recoveries,
        replies: report.replies ?? [],
        form: answerable(mail) ? form : null,
        messages,
        writeBack: extra.writeBack ?? { draft: '', missing: false },
        notice: extra.notice ?? null,
      }),
      extra.status ?? 200,
    )
  }

  routes.get('/r/:token', async (c) => {
    const opened = await openLink(db, key, c.req.param('token'), 'r', now())
    if (!opened.ok) return refused(c, opened)
    const { page: p } = templates(opened.mail.locale)
    return show(c, opened, {
      notice: opened.mail.kind === 'follow_up' && opened.mail.answered_at ? p.answered : null,
    })
  })

  routes.post('/r/:token', async (c) => {
    const opened = await openLink(db, key, c.req.param('token'), 'r', now())
    if (!opened.ok) return refused(c, opened)
    const p = templates(opened.mail.locale).page
    const type = c.req.header('content-type') ?? ''
    const form = /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)
      ? new URLSearchParams(await readBody(c, { max: FORM_MAX }))
      : new URLSearchParams()
    if (form.get('intent') === 'message') {
      const draft = form.get('message') ?? ''
      const checked = parseAdmin(ReplyBodySchema, { message: draft })
      if (!checked.ok) return show(c, opened, { writeBack: { draft, missing: true }, status: 400 })
      const result = await writeBack(db, opened.mail, opened.complaint, checked.value.message)
      if (result === 'too_many')
        return show(c, opened, {
          notice: p.tooManyMessages,
          writeBack: { draft, missing: false },
          status: 429,
        })
      return show(c, opened, {
        notice: result === 'duplicate' ? p.messageDuplicate : p.messageSent,
      })
    }
    if (opened.mail.kind !== 'follow_up') return page(c, problemPage('unanswerable'), 400)
    if (opened.mail.answered_at) return show(c, opened, { notice: p.answered, status: 409 })
    const score = form.get('score')
    const resolved = form.get('resolved')
    const comment = (form.get('comment') ?? '').trim()
    // Each tap is optional: an absent or odd value is left out, as the widget leaves an untapped one.
    const fairness: Partial<Record<FairnessSide, number>> = {}
    for (const side of FAIRNESS_SIDES) {
      const tap = form.get(`fair_${side}`)
      if (tap && /^[1-5]$/.test(tap)) fairness[side] = Number(tap)
    }
    const candidate: Record<string, unknown> = {
      score: score && /^[1-5]$/.test(score) ? Number(score) : undefined,
      resolved: resolved === 'yes' ? true : resolved === 'no' ? false : undefined,
      ...(comment ? { comment } : {}),
      ...(Object.keys(fairness).length ? { fairness } : {}),
    }
    const checked = validateFollowUp(candidate)
    if (!checked.success) {
      return show(c, opened, {
        form: {
          score: (candidate.score as number | undefined) ?? null,
          resolved: (candidate.resolved as boolean | undefined) ?? null,
          fairness,
          comment,
          missing: true,
        },
        status: 400,
      })
    }
    const answer: FollowUp = checked.output
    const result = await answerFollowUp(db, opened.mail, opened.complaint, answer)
    // Read again: a "no" reopened the complaint, and the page shows it so.
    const after = await openLink(db, key, c.req.param('token'), 'r', now())
    if (!after.ok) return refused(c, after)
    if (result === 'already_answered') return show(c, after, { notice: p.answered, status: 409 })
    return show(c, after, { notice: answer.resolved ? p.thanks : p.reopened })
  })

  routes.get('/u/:token', async (c) => {
    const opened = await openLink(db, key, c.req.param('token'), 'u', now())
    if (!opened.ok) return refused(c, opened)
    return page(
      c,
      unsubscribePage({
        locale: opened.mail.locale,
        siteName: opened.siteName,
        address: opened.mail.recipient,
        done: await isSuppressed(db, opened.mail),
      }),
    )
  })

  // Mail providers post `List-Unsubscribe=One-Click` here (RFC 8058) without
  // cookies or anything else; the token alone says whose address it is.
  routes.post('/u/:token', async (c) => {
    const opened = await openLink(db, key, c.req.param('token'), 'u', now())
    if (!opened.ok) return refused(c, opened)
    await unsubscribe(db, opened.mail)
    return page(
      c,
      unsubscribePage({
        locale: opened.mail.locale,
        siteName: opened.siteName,
        address: opened.mail.recipient,
        done: true,
      }),
    )
  })

  return routes
}
