/**
 * @module The site's settings in the admin API: `GET` and `PATCH /v1/admin/site`,
 * and the audit trail of every change, `GET /v1/admin/site/changes`.
 */
import { canonicalJson } from '@redress/protocol'
import {
  LimitQuerySchema,
  type ParsedSitePatch,
  type SiteChange,
  SitePatchSchema,
  type SiteView,
} from '@redress/protocol/admin'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { alertRules } from '../../alerts'
import { ATTACHMENT_DAYS } from '../../attachments'
import { iso } from '../../complaints'
import type { Site, Tables } from '../../db/schema'
import { effectiveRateLimits, type RateLimitOptions, readJson, valid } from '../../http'
import { mailSettings } from '../../mail'
import { effectivePolicy } from '../../recovery'
import { type AdminEnv, type AdminOptions, recordSiteChange } from './context'

/** What `PATCH /v1/admin/site` may change → its `sites` column, in the audit trail's order. */
const SITE_COLUMNS = {
  origins: 'origins',
  categories: 'categories',
  policy: 'policy',
  rateLimits: 'rate_limits',
  guarantee: 'guarantee',
  mail: 'mail',
  alerts: 'alerts',
  attachments: 'attachments',
} as const satisfies Record<keyof ParsedSitePatch, keyof Site>
const SITE_FIELDS = Object.keys(SITE_COLUMNS) as (keyof typeof SITE_COLUMNS)[]

/** The site as `GET /v1/admin/site` shows it. */
function siteView(site: Site, rateLimit: RateLimitOptions | false | undefined): SiteView {
  return {
    name: site.name,
    publicKey: site.public_key,
    origins: site.origins,
    categories: site.categories,
    rateLimits: {
      effective: rateLimit === false ? false : effectiveRateLimits(rateLimit ?? {}, site),
      overrides: site.rate_limits,
    },
    // Spread into a plain object type: an interface such as `Policy` has no
    // implicit index signature, and `SitePolicy` keeps the other keys loose.
    policy: { effective: { ...effectivePolicy(site) }, overrides: site.policy },
    guarantee: site.guarantee,
    mail: mailSettings(site.mail),
    alerts: { effective: alertRules(site), overrides: site.alerts },
    attachments: {
      effective: { retentionDays: site.attachments?.retentionDays ?? ATTACHMENT_DAYS },
      overrides: site.attachments,
    },
    createdAt: iso(site.created_at as unknown as Date),
  }
}

/**
 * The site routes, a sub-app for the admin API (which has authenticated the site).
 *
 * @example
 * admin.route('/', siteRoutes(db, { log: jsonLogger }))
 * // PATCH /v1/admin/site { "origins": ["https://shop.example"] } → 200 the site, as GET shows it
 */
export function siteRoutes(
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'log' | 'rateLimit'> = {},
): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const log = options.log ?? (() => {})

  routes.get('/site', (c) => c.json(siteView(c.get('site'), options.rateLimit)))

  routes.patch('/site', async (c) => {
    const patch = valid(SitePatchSchema, await readJson(c))
    const site = c.get('site')
    const { updated, changed } = await db.transaction().execute(async (trx) => {
      // Under the row lock, so the audit's "before" is what this change replaced.
      const current = await trx
        .selectFrom('sites')
        .selectAll()
        .where('id', '=', site.id)
        .forUpdate()
        .executeTakeFirstOrThrow()
      const changes: SiteChange['changes'] = {}
      for (const field of SITE_FIELDS) {
        if (patch[field] === undefined) continue
        const before = current[SITE_COLUMNS[field]] ?? null
        if (canonicalJson(before) !== canonicalJson(patch[field]))
          changes[field] = { before, after: patch[field] }
      }
      if (Object.keys(changes).length === 0) return { updated: current, changed: [] }
      const values = Object.fromEntries(
        Object.keys(changes).map((field) => [
          SITE_COLUMNS[field as keyof typeof SITE_COLUMNS],
          JSON.stringify(patch[field as keyof ParsedSitePatch]),
        ]),
      )
      const row = await trx
        .updateTable('sites')
        .set(values)
        .where('id', '=', site.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await recordSiteChange(trx, site.id, changes, c.get('actor'))
      return { updated: row, changed: Object.keys(changes) }
    })
    if (changed.length > 0) log({ level: 'info', msg: 'site updated', siteId: site.id, changed })
    return c.json(siteView(updated, options.rateLimit))
  })

  routes.get('/site/changes', async (c) => {
    const { limit } = valid(LimitQuerySchema, c.req.query())
    const rows = await db
      .selectFrom('site_changes')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return c.json({
      items: rows.map(
        (row): SiteChange => ({
          id: Number(row.id),
          at: iso(row.created_at as unknown as Date),
          changes: row.changes,
          by: row.by,
        }),
      ),
    })
  })

  return routes
}
