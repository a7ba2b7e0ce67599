/**
 * @module A category's self-help as the categories form edits it: per
 * language an answer and up to 5 links, what is sent of them (`help` of a
 * category in `PATCH /v1/admin/site`), what is refused before sending, and
 * where a refusal the server names (`categories[0].help.en.links[1].url`)
 * belongs.
 */
import type { CategoryHelp, SiteCategory } from '../lib/types'
import { LOCALES, type Locale } from './_texts-data'

/**
 * The protocol's `HELP_LIMITS`, written out: importing it from
 * `@redress/protocol` here makes the build move the code the first screen
 * shares with this chunk into a chunk of its own, a second script to load
 * first. `_help-data.test.ts` checks the two agree.
 */
export const HELP_LIMITS = { answer: 1000, links: 5, label: 100, url: 2000 } as const

export interface HelpLinkDraft {
  label: string
  url: string
}

/** A category's self-help as typed: every language, empty where it has none. */
export type HelpDraft = Record<Locale, { answer: string; links: HelpLinkDraft[] }>

export function helpDraft(help: SiteCategory['help']): HelpDraft {
  return Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      {
        answer: help?.[locale]?.answer ?? '',
        links: (help?.[locale]?.links ?? []).map((link) => ({ ...link })),
      },
    ]),
  ) as HelpDraft
}

const blank = (link: HelpLinkDraft) => !link.label.trim() && !link.url.trim()

/** The languages the draft says something in. */
export const helpLanguages = (draft: HelpDraft): Locale[] =>
  LOCALES.filter(
    (locale) => draft[locale].answer.trim() || draft[locale].links.some((link) => !blank(link)),
  )

/**
 * What is sent: per language the answer when there is one and the links
 * that are not left blank (a row with neither text nor address is dropped);
 * `undefined` when no language says anything. `sent[locale][i]` is the row
 * of the draft the `i`-th link sent came from, to place the server's refusals.
 */
export function helpPayload(draft: HelpDraft): {
  help: SiteCategory['help']
  sent: Record<Locale, number[]>
} {
  const help: Partial<Record<Locale, CategoryHelp>> = {}
  const sent = {} as Record<Locale, number[]>
  for (const locale of LOCALES) {
    const answer = draft[locale].answer.trim()
    sent[locale] = []
    const links: HelpLinkDraft[] = []
    draft[locale].links.forEach((link, row) => {
      if (blank(link)) return
      sent[locale].push(row)
      links.push({ label: link.label.trim(), url: link.url.trim() })
    })
    const entry: CategoryHelp = {}
    if (answer) entry.answer = answer
    if (links.length > 0) entry.links = links
    if (answer || links.length > 0) help[locale] = entry
  }
  return { help: Object.keys(help).length > 0 ? help : undefined, sent }
}

/**
 * What would be refused before sending, keyed as the form keys its fields
 * (`en.links[1].url`): a link with only one of its text and its address, an
 * address that is not http(s).
 */
export function helpProblems(
  draft: HelpDraft,
  words: { linkIncomplete: string; urlInvalid: string },
): Record<string, string> {
  const problems: Record<string, string> = {}
  for (const locale of LOCALES)
    draft[locale].links.forEach((link, row) => {
      if (blank(link)) return
      const at = `${locale}.links[${row}]`
      if (!link.label.trim()) problems[`${at}.label`] = words.linkIncomplete
      else if (!link.url.trim()) problems[`${at}.url`] = words.linkIncomplete
      else if (!/^https?:\/\/\S+$/i.test(link.url.trim())) problems[`${at}.url`] = words.urlInvalid
    })
  return problems
}

/**
 * The form's key for the server's refusal of `rest` (what follows
 * `categories[n].`): `help.en.links[1].url` → `en.links[3].url` when the
 * second link sent was the draft's fourth row; a refusal of a whole
 * language, or of all the help, goes to the answer it starts with.
 */
export function helpErrorKey(rest: string, sent: Record<Locale, number[]>): string | null {
  if (rest === 'help') return `${LOCALES[0]}.answer`
  const match = /^help\.([^.[]+)(?:\.(answer|links)(?:\[(\d+)\](?:\.(label|url))?)?)?/.exec(rest)
  const locale = match?.[1] as Locale | undefined
  if (!match || !locale || !LOCALES.includes(locale)) return null
  const [, , part, index, field] = match
  if (part === 'links' && index !== undefined) {
    const row = sent[locale][Number(index)] ?? Number(index)
    return `${locale}.links[${row}].${field ?? 'label'}`
  }
  return part === 'links' ? `${locale}.links` : `${locale}.answer`
}
