/**
 * @module The site's settings in the admin API: the body of
 * `PATCH /v1/admin/site` (origins, categories, policy overrides, rate limits,
 * guarantee). Throws `400 invalid_request` naming the field at fault.
 */
import { LIMITS } from '@redress/protocol'
import type { Guarantee, SiteCategory } from '@redress/protocol/admin'
import {
  checkJson,
  clean,
  invalid,
  type JsonLimits,
  parseRateLimits,
  type RateLimits,
} from '../../http'
import { CATEGORY_ID, parseGuarantee, policyOverridesProblem } from '../../recovery'
import { normalizeOrigin } from '../../sites'

/** The most origins a site may list. */
export const ORIGINS_MAX = 50
/** The most categories a site may list. */
export const CATEGORIES_MAX = 100
const LABEL_MAX = LIMITS.categoryLabel
const FAILURE_TYPE_NAMES = ['outcome', 'process', 'interaction'] as const

/** The body of `PATCH /v1/admin/site`, checked: the fields to change. */
export interface SitePatch {
  origins?: string[]
  categories?: SiteCategory[]
  policy?: Record<string, unknown> | null
  rateLimits?: RateLimits | null
  guarantee?: Guarantee | null
}

/** What `PATCH /v1/admin/site` may change. */
export const SITE_FIELDS = ['origins', 'categories', 'policy', 'rateLimits', 'guarantee'] as const

/**
 * Policy overrides: nested JSON, bounded well above what `Policy` can hold
 * (4 levels, about 60 keys and a category map); every text in it is free text.
 */
const POLICY_JSON: JsonLimits & { text: true } = { depth: 8, keys: 200, text: true }

function parseOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('origins is an array of origins', 'origins')
  if (value.length > ORIGINS_MAX)
    throw invalid(`origins holds at most ${ORIGINS_MAX} entries`, 'origins')
  const out: string[] = []
  value.forEach((entry, index) => {
    const field = `origins[${index}]`
    if (typeof entry !== 'string' || entry.length > 300)
      throw invalid('An origin is a text such as https://shop.example', field)
    // Before the message below quotes it.
    clean(entry, field)
    // Checked before normalising: `new URL` would quietly drop a trailing path dot or empty port.
    if (!/^https?:\/\/[^/?#@\s]+\/?$/i.test(entry.trim()))
      throw invalid(`Not an origin: ${entry} (expected https?://host[:port], no path)`, field)
    try {
      out.push(normalizeOrigin(entry))
    } catch (error) {
      throw invalid((error as Error).message, field)
    }
  })
  return [...new Set(out)]
}

function parseCategories(value: unknown): SiteCategory[] {
  if (!Array.isArray(value)) throw invalid('categories is an array', 'categories')
  if (value.length > CATEGORIES_MAX)
    throw invalid(`categories holds at most ${CATEGORIES_MAX} entries`, 'categories')
  const seen = new Set<string>()
  return value.map((entry, index) => {
    const field = `categories[${index}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw invalid('A category is { id, failureType, label?, firmResponsible? }', field)
    const input = entry as Record<string, unknown>
    for (const key of Object.keys(input)) {
      if (!['id', 'failureType', 'label', 'firmResponsible'].includes(key))
        throw invalid(`Unknown field ${key}`, `${field}.${key}`)
    }
    if (typeof input.id !== 'string' || !CATEGORY_ID.test(input.id))
      throw invalid('id is 1–64 of a-z, 0-9, _ and -', `${field}.id`)
    if (seen.has(input.id)) throw invalid(`Duplicate category id ${input.id}`, `${field}.id`)
    seen.add(input.id)
    if (!FAILURE_TYPE_NAMES.includes(input.failureType as SiteCategory['failureType']))
      throw invalid(
        `failureType must be one of ${FAILURE_TYPE_NAMES.join(', ')}`,
        `${field}.failureType`,
      )
    const category: SiteCategory = {
      id: input.id,
      failureType: input.failureType as SiteCategory['failureType'],
    }
    if (input.label !== undefined) {
      const label =
        typeof input.label === 'string' ? clean(input.label, `${field}.label`).trim() : undefined
      if (!label || label.length > LABEL_MAX)
        throw invalid(`label is 1–${LABEL_MAX} characters`, `${field}.label`)
      category.label = label
    }
    if (input.firmResponsible !== undefined) {
      if (typeof input.firmResponsible !== 'boolean')
        throw invalid('firmResponsible is true or false', `${field}.firmResponsible`)
      category.firmResponsible = input.firmResponsible
    }
    return category
  })
}

/**
 * Check the body of `PATCH /v1/admin/site`.
 *
 * @example
 * parseSitePatch({ origins: ['https://Shop.example/'] }) // { origins: ['https://shop.example'] }
 * parseSitePatch({}) // throws: send at least one of origins, categories, …
 */
export function parseSitePatch(body: unknown): SitePatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Send a JSON object', '')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!(SITE_FIELDS as readonly string[]).includes(key))
      throw invalid(`Unknown field ${key}`, key)
  }
  const patch: SitePatch = {}
  if (input.origins !== undefined) patch.origins = parseOrigins(input.origins)
  if (input.categories !== undefined) patch.categories = parseCategories(input.categories)
  if (input.policy !== undefined) {
    // Bounded and its texts cleaned before the policy's own checks walk it.
    const policy = input.policy === null ? null : checkJson(input.policy, 'policy', POLICY_JSON)
    if (policy !== null) {
      const problem = policyOverridesProblem(policy)
      if (problem) throw invalid(problem.message, problem.field)
    }
    patch.policy = policy as Record<string, unknown> | null
  }
  if (input.rateLimits !== undefined) {
    const parsed = input.rateLimits === null ? null : parseRateLimits(input.rateLimits)
    if (parsed && 'problem' in parsed)
      throw invalid(parsed.problem as string, parsed.field as string)
    patch.rateLimits = parsed as RateLimits | null
  }
  if (input.guarantee !== undefined)
    patch.guarantee = input.guarantee === null ? null : parseGuarantee(input.guarantee)
  if (Object.keys(patch).length === 0) {
    throw invalid(`Send at least one of ${SITE_FIELDS.join(', ')}`, '')
  }
  return patch
}
