/**
 * @module Sites: who may send complaints, from which origins, with which
 * categories and policy.
 */
import {
  DEFAULT_CATEGORIES,
  LOCALES,
  type SiteConfig,
  type SiteConfigCategory,
} from '@redress/protocol'
import { normalizeOrigin } from '@redress/protocol/admin'
import { cleanText } from '@redress/protocol/schema'
import type { Kysely } from 'kysely'
import { adminToken, publicKey, sha256, siteId } from '../_lib/crypto'
import type { Site, SiteCategory, Tables } from '../db/schema'
import type { PolicyOverrides } from '../recovery'

/** The demo site's public key, used by the demo page and the SDK's tests. */
export const DEMO_SITE_KEY = 'pk_demo'

// The categories a new site starts with are the protocol's (the widget's built-in ones).
export { DEFAULT_CATEGORIES }

/**
 * Whether a browser's `Origin` header is one of the allowed origins.
 *
 * @example
 * isOriginAllowed('http://localhost:5173', ['http://localhost:*']) // true
 */
export function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.origin === 'null') return false
  const exact = url.origin
  const anyPort = `${url.protocol}//${url.hostname}:*`
  return allowed.some((entry) => entry === exact || entry === anyPort)
}

/**
 * What `createSite` takes: the site's name and the origins its pages are
 * served from, and optionally its key, categories, admin token and policy.
 *
 * @example
 * const options: CreateSiteOptions = {
 *   name: 'Acme Mugs',
 *   origins: ['https://shop.example', 'http://localhost:*'],
 *   policy: { currency: 'USD' },
 * }
 * const { site, adminToken } = await createSite(db, options)
 */
export interface CreateSiteOptions {
  /** Shown to the owner; one line, trimmed. */
  name: string
  /** Where its pages may send complaints from: `https://shop.example`, or `http://localhost:*` for any port. */
  origins: string[]
  /** @default a new random `pk_…` */
  publicKey?: string
  /** @default DEFAULT_CATEGORIES */
  categories?: SiteCategory[]
  /** @default a new random token */
  adminToken?: string
  /** Overrides merged over `DEFAULT_POLICY`. @default none: the defaults */
  policy?: PolicyOverrides
}

/**
 * Create a site. The admin token is returned once and only its hash is stored.
 *
 * @example
 * const { site, adminToken } = await createSite(db, { name: 'Shop', origins: ['https://shop.example'] })
 */
export async function createSite(
  db: Kysely<Tables>,
  options: CreateSiteOptions,
): Promise<{ site: Site; adminToken: string }> {
  const named = cleanText(options.name, 'A site name')
  if (!named.success) throw new Error(named.issues[0]!.message)
  const name = named.output.trim()
  if (!name) throw new Error('A site needs a name')
  const origins = [...new Set(options.origins.map(normalizeOrigin))]
  const token = options.adminToken ?? adminToken()
  const site = await db
    .insertInto('sites')
    .values({
      id: siteId(),
      public_key: options.publicKey ?? publicKey(),
      name,
      origins: JSON.stringify(origins),
      categories: JSON.stringify(options.categories ?? DEFAULT_CATEGORIES),
      policy: JSON.stringify(options.policy ?? null),
      admin_token_hash: sha256(token),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { site, adminToken: token }
}

/**
 * The site with this public key, or `undefined`.
 *
 * @example
 * const site = await findSite(db, 'pk_demo')
 */
export async function findSite(db: Kysely<Tables>, key: string): Promise<Site | undefined> {
  // No key has a control character, and PostgreSQL would refuse U+0000 rather than find nothing.
  if (!cleanText(key, 'key').success) return undefined
  return db.selectFrom('sites').selectAll().where('public_key', '=', key).executeTakeFirst()
}

/**
 * What a page may know of the site (`GET /v1/sites/{publicKey}`): each
 * category's id, failure type, label and labels per locale, and the
 * guarantee's text. Built field by field, so nothing else the rows hold (the
 * policy, caps, origins, tokens, `firmResponsible`, the guarantee's deadline
 * and remedy) can slip in.
 *
 * @example
 * siteConfig(site) // { categories: [{ id: 'broken', failureType: 'outcome' }, …], guarantee: null }
 */
export function siteConfig(site: Pick<Site, 'categories' | 'guarantee'>): SiteConfig {
  return {
    categories: (site.categories ?? []).map(({ id, failureType, label, labels, help }) => {
      const category: SiteConfigCategory = { id, failureType }
      if (label !== undefined) category.label = label
      // Only the locales the protocol knows, each a label: a page gets nothing else.
      const known = LOCALES.filter((locale) => typeof labels?.[locale] === 'string')
      if (known.length)
        category.labels = Object.fromEntries(known.map((locale) => [locale, labels![locale]]))
      const helped = LOCALES.filter((locale) => help?.[locale])
      if (helped.length)
        category.help = Object.fromEntries(helped.map((locale) => [locale, help![locale]!]))
      return category
    }),
    guarantee: site.guarantee ? { text: site.guarantee.text } : null,
  }
}

/**
 * Make sure the demo site `pk_demo` exists and allows `http://localhost` and
 * `http://127.0.0.1` on any port plus `ownOrigin`; set its admin token to
 * `adminToken` (a new random one when not given) and return that token.
 * Safe when several processes start at once.
 *
 * @example
 * const { site, adminToken } = await ensureDemoSite(db, { ownOrigin: 'https://redress.example' })
 */
export async function ensureDemoSite(
  db: Kysely<Tables>,
  options: { ownOrigin?: string; adminToken?: string | undefined } = {},
): Promise<{ site: Site; adminToken: string }> {
  const token = options.adminToken || adminToken()
  const wanted = ['http://localhost:*', 'http://127.0.0.1:*']
  if (options.ownOrigin) wanted.push(normalizeOrigin(options.ownOrigin))
  await db
    .insertInto('sites')
    .values({
      id: siteId(),
      public_key: DEMO_SITE_KEY,
      name: 'Demo',
      origins: JSON.stringify(wanted),
      categories: JSON.stringify(DEFAULT_CATEGORIES),
      policy: JSON.stringify(null),
      admin_token_hash: sha256(token),
    })
    .onConflict((conflict) => conflict.column('public_key').doNothing())
    .execute()
  const current = (await findSite(db, DEMO_SITE_KEY))!
  const origins = [...new Set([...(current.origins as string[]), ...wanted])]
  const site = await db
    .updateTable('sites')
    .set({ origins: JSON.stringify(origins), admin_token_hash: sha256(token) })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return { site, adminToken: token }
}
