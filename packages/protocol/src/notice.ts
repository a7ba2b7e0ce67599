/**
 * @module What the owner tells customers before they complain, as pages get
 * it: known-issue notices (`SiteConfig.notices`: where and when one shows, in
 * which words) and self-help per category (`SiteConfigCategory.help`).
 */
import type { Locale } from './locale'

/**
 * A known-issue notice the site's owner published: shown by the widget on
 * matching pages while it runs, so customers learn of a problem before they
 * report it.
 *
 * @example
 * { "id": "ntc_…", "messages": { "en": "Card payments fail; we are on it.", "zh-CN": "银行卡支付暂时失败，我们正在处理。" },
 *   "level": "warning", "page": "/checkout", "startsAt": "2026-12-04T10:00:00.000Z", "endsAt": null }
 */
export interface SiteNotice {
  /** `ntc_…`; a later notice with the same id replaces it in the widget. */
  id: string
  /** The words per locale (each 1–500 characters); a client shows its locale's, else English, else any. */
  messages: Partial<Record<Locale, string>>
  level: 'info' | 'warning'
  /**
   * The pages it shows on, matched against the page's path: a prefix
   * (`/checkout` is `/checkout`, `/checkout/pay`, not `/checkouts`), or a
   * pattern with `*` (any characters but `/`) and `**` (any characters);
   * `null` for every page.
   */
  page: string | null
  /** When it starts showing, ISO 8601. */
  startsAt: string
  /** When it stops; `null`: until the owner ends it. */
  endsAt: string | null
}

/** A link to the shop's own help, shown for a category before the customer sends. */
export interface HelpLink {
  /** 1–100 characters. */
  label: string
  /** An `http(s)` URL of at most 2000 characters. */
  url: string
}

/**
 * Self-help for a category in one language: a short answer and links, shown
 * when the customer picks the category, before they send.
 */
export interface CategoryHelp {
  /** 1–1000 characters; line breaks kept. */
  answer?: string
  /** At most 5. */
  links?: HelpLink[]
}

/** The bounds of a category's self-help. */
export const HELP_LIMITS = { answer: 1000, links: 5, label: 100, url: 2000 } as const

/** The most characters of one notice's message, and of its page pattern. */
export const NOTICE_LIMITS = { message: 500, page: 300 } as const

/** Regex source of a page pattern: `**` any characters, `*` any but `/`, the rest literal. */
const patternSource = (page: string) =>
  page
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*')

/**
 * Whether a notice's page pattern takes this path (see `SiteNotice.page`).
 *
 * @example
 * pageMatches('/checkout', '/checkout/pay')         // true
 * pageMatches('/checkout', '/checkouts')            // false
 * pageMatches('/orders/*', '/orders/A1')          // true
 * pageMatches('/help/**', '/help/a/b')            // true
 */
export function pageMatches(page: string | null, path: string): boolean {
  if (page === null) return true
  if (!page.includes('*')) {
    const prefix = page.endsWith('/') ? page.slice(0, -1) : page
    return path === prefix || path.startsWith(`${prefix}/`) || prefix === ''
  }
  return new RegExp(`^${patternSource(page)}$`).test(path)
}

/**
 * The notice's words for a customer reading `locale`, or `undefined` when it
 * is not for this page at this time.
 *
 * @example
 * noticeFor(notice, { path: '/checkout', locale: 'zh-CN', now: new Date() }) // '银行卡支付暂时失败…'
 */
export function noticeFor(
  notice: SiteNotice,
  at: { path: string; locale: Locale; now: Date },
): string | undefined {
  const now = at.now.getTime()
  if (Date.parse(notice.startsAt) > now) return undefined
  if (notice.endsAt !== null && Date.parse(notice.endsAt) <= now) return undefined
  if (!pageMatches(notice.page, at.path)) return undefined
  const messages = notice.messages
  return messages[at.locale] ?? messages.en ?? Object.values(messages).find(Boolean)
}
