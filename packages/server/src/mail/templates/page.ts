/**
 * @module The pages a mail's links open, as plain HTML: the status page
 * (with the follow-up form), the unsubscribe page, and the page a bad or
 * expired link gets. No script, no external resource, one inline style
 * block whose hash is the only style `PAGE_CSP` allows.
 */
import { createHash } from 'node:crypto'
import { LIMITS, type Recovery, type Status } from '@redress/protocol'
import { escapeHtml } from './_blocks'
import { fill, type MailLocale, templates } from './index'

const STYLE =
  'body{margin:0;padding:24px;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;background:#fafafa}' +
  'main{max-width:560px;margin:0 auto;background:#fff;padding:24px;border:1px solid #e3e3e3;border-radius:8px}' +
  'h1{font-size:20px;margin:0 0 16px}h2{font-size:16px;margin:24px 0 8px}' +
  '.status{font-weight:600}.notice{padding:10px 12px;background:#eef6ee;border-radius:6px}' +
  '.error{padding:10px 12px;background:#fbeaea;border-radius:6px}' +
  'blockquote{margin:0 0 12px;padding:8px 12px;border-left:3px solid #ccc;background:#f7f7f7;white-space:pre-wrap}' +
  'li{white-space:pre-wrap}fieldset{border:0;padding:0;margin:0 0 16px}legend{font-weight:600;margin-bottom:6px}' +
  'label.o{display:inline-block;margin:0 12px 6px 0}textarea{width:100%;box-sizing:border-box;min-height:80px;font:inherit}' +
  'button{font:inherit;padding:8px 18px;border:0;border-radius:6px;background:#1f4e8c;color:#fff;cursor:pointer}'

/**
 * The Content-Security-Policy of every page here: nothing may load or run,
 * only this module's style block applies, forms post only to this server,
 * and no other page may frame it.
 */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`

const document = (lang: string, title: string, body: string) =>
  `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`

/** What the status page shows. */
export interface StatusPageView {
  locale: MailLocale
  siteName: string
  reference: string
  status: Status
  remedies: Recovery[]
  replies: { message: string; author?: string | undefined }[]
  /** The follow-up form, when the link may still answer it. */
  form: {
    score: number | null
    resolved: boolean | null
    /** The optional taps, as sent (kept when the form comes back incomplete). */
    fairness?: Partial<Record<FairnessSide, number>> | undefined
    comment: string
    /** The last answer sent was incomplete. */
    missing: boolean
  } | null
  /** What the customer wrote back before, oldest first. */
  messages: { message: string }[]
  /** The write-back form: the draft kept after a refusal, and whether it was empty. */
  writeBack: { draft: string; missing: boolean }
  /** A line at the top: thanks, reopened, already answered. */
  notice: string | null
}

/** The three sides of a fair recovery the follow-up may ask about, each an optional 1–5. */
export const FAIRNESS_SIDES = ['remedy', 'process', 'treatment'] as const
export type FairnessSide = (typeof FAIRNESS_SIDES)[number]
const FAIRNESS_WORDS = {
  remedy: 'fairRemedy',
  process: 'fairProcess',
  treatment: 'fairTreatment',
} as const

const radio = (name: string, value: string, label: string, checked: boolean, first: boolean) =>
  `<label class="o"><input type="radio" name="${name}" value="${value}"${checked ? ' checked' : ''}${first ? ' required' : ''}> ${escapeHtml(label)}</label>`

/**
 * The status page: the complaint's status, its remedies and the owner's
 * replies, and the follow-up form when there is one to answer.
 *
 * @example
 * statusPage({ locale: 'en', siteName: 'Acme', reference: 'R-7K3Q9', status: 'resolved', remedies: [], replies: [], form: null, notice: null })
 */
export function statusPage(view: StatusPageView): string {
  const t = templates(view.locale)
  const p = t.page
  const parts = [
    `<h1>${escapeHtml(fill(p.heading, { reference: view.reference, site: view.siteName }))}</h1>`,
  ]
  if (view.notice) parts.push(`<p class="notice" role="status">${escapeHtml(view.notice)}</p>`)
  parts.push(
    `<p>${escapeHtml(p.status)}: <span class="status">${escapeHtml(t.statuses[view.status])}</span></p>`,
  )
  if (view.remedies.length)
    parts.push(
      `<h2>${escapeHtml(p.remedies)}</h2><ul>${view.remedies.map((r) => `<li>${escapeHtml(t.remedy(r))}</li>`).join('')}</ul>`,
    )
  if (view.replies.length)
    parts.push(
      `<h2>${escapeHtml(p.replies)}</h2>${view.replies
        .map(
          (reply) =>
            `<p>${escapeHtml(reply.author ? fill(p.replyFrom, { author: reply.author }) : p.ourReply)}</p><blockquote>${escapeHtml(reply.message)}</blockquote>`,
        )
        .join('')}`,
    )
  const form = view.form
  if (form) {
    parts.push(
      `<form method="post">`,
      ...(form.missing ? [`<p class="error" role="alert">${escapeHtml(p.missing)}</p>`] : []),
      `<fieldset><legend>${escapeHtml(p.question)}</legend><p>${escapeHtml(p.scale)}</p>${[
        1, 2, 3, 4, 5,
      ]
        .map((n) => radio('score', `${n}`, `${n}`, form.score === n, n === 1))
        .join('')}</fieldset>`,
      `<fieldset><legend>${escapeHtml(p.resolved)}</legend>${radio('resolved', 'yes', p.yes, form.resolved === true, true)}${radio('resolved', 'no', p.no, form.resolved === false, false)}</fieldset>`,
      `<p>${escapeHtml(p.fairness)}</p>`,
      ...FAIRNESS_SIDES.map(
        (side) =>
          `<fieldset><legend>${escapeHtml(p[FAIRNESS_WORDS[side]])}</legend>${[1, 2, 3, 4, 5]
            .map((n) => radio(`fair_${side}`, `${n}`, `${n}`, form.fairness?.[side] === n, false))
            .join('')}</fieldset>`,
      ),
      `<p><label>${escapeHtml(p.comment)}<br><textarea name="comment" maxlength="${LIMITS.comment}">${escapeHtml(form.comment)}</textarea></label></p>`,
      `<button type="submit">${escapeHtml(p.send)}</button></form>`,
    )
  }
  if (view.messages.length)
    parts.push(
      `<h2>${escapeHtml(p.yourMessages)}</h2>${view.messages.map((m) => `<blockquote>${escapeHtml(m.message)}</blockquote>`).join('')}`,
    )
  parts.push(
    `<form method="post"><h2>${escapeHtml(p.writeBack)}</h2><input type="hidden" name="intent" value="message">`,
    ...(view.writeBack.missing
      ? [`<p class="error" role="alert">${escapeHtml(p.messageMissing)}</p>`]
      : []),
    `<p><label>${escapeHtml(p.message)}<br><textarea name="message" required maxlength="${LIMITS.reply}">${escapeHtml(view.writeBack.draft)}</textarea></label></p>`,
    `<button type="submit">${escapeHtml(p.sendMessage)}</button></form>`,
  )
  return document(view.locale, p.title, parts.join(''))
}

/**
 * The unsubscribe page: the question and its one button, or that it is done.
 *
 * @example
 * unsubscribePage({ locale: 'en', siteName: 'Acme', address: 'ada@example.com', done: false })
 */
export function unsubscribePage(view: {
  locale: MailLocale
  siteName: string
  address: string
  done: boolean
}): string {
  const p = templates(view.locale).page
  const values = { site: view.siteName, address: view.address }
  const body = view.done
    ? `<h1>${escapeHtml(p.unsubscribeTitle)}</h1><p class="notice" role="status">${escapeHtml(fill(p.unsubscribed, values))}</p>`
    : `<h1>${escapeHtml(p.unsubscribeTitle)}</h1><form method="post"><p>${escapeHtml(fill(p.unsubscribeAsk, values))}</p><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(p.unsubscribeButton)}</button></form>`
  return document(view.locale, p.unsubscribeTitle, body)
}

const PROBLEMS = {
  invalid: {
    en: 'This link is not valid. Please use the link from your e-mail as it is.',
    zh: '此链接无效。请直接使用邮件中的链接。',
  },
  expired: {
    en: 'This link has expired. Your report is still with us; a newer e-mail from us has a fresh link.',
    zh: '此链接已过期。您的反馈仍在处理中；我们之后发送的邮件中会有新的链接。',
  },
  unanswerable: {
    en: 'There is nothing to answer with this link.',
    zh: '此链接无法提交回答。',
  },
} as const

/**
 * The page a link that does nothing gets, in both languages (a bad link
 * names no mail, so no language either).
 *
 * @example
 * problemPage('expired')
 */
export const problemPage = (problem: keyof typeof PROBLEMS): string =>
  document(
    'en',
    'Redress',
    `<h1>${escapeHtml(PROBLEMS[problem].en)}</h1><p lang="zh-CN">${escapeHtml(PROBLEMS[problem].zh)}</p>`,
  )
