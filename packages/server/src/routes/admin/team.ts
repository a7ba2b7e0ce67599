/**
 * @module The team and the machines in the admin API: `GET`/`POST /team`,
 * `PATCH /team/{id}`, `POST /team/{id}/invite` (a new invitation link),
 * `GET`/`POST /tokens`, `DELETE /tokens/{id}`, `POST /site/admin-token` (a new
 * admin token; the old one stops at once), and one's own second factor:
 * `POST /me/totp`, `POST /me/totp/confirm`, `DELETE /me/totp`. Changes to the
 * team and the tokens go to the audit trail.
 */
import {
  IdParamsSchema,
  type Invited,
  InviteSchema,
  MemberPatchSchema,
  TokenCreateSchema,
} from '@redress/protocol/admin'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import { adminToken, sha256 } from '../../_lib/crypto'
import type { Tables } from '../../db/schema'
import { ApiError, readJson, valid } from '../../http'
import { enqueuePersonMail } from '../../outbox'
import {
  checkTotp,
  createApiToken,
  findMember,
  INVITE_LIFETIME_MS,
  invite,
  linkFor,
  listApiTokens,
  memberView,
  otpauthUrl,
  patchMember,
  revokeApiToken,
  totpSecret,
} from '../../people'
import { type AdminEnv, type AdminOptions, recordSiteChange } from './context'

/** The team and token routes, a sub-app for the admin API (which has checked who may). */
export function teamRoutes(
  db: Kysely<Tables>,
  options: Pick<AdminOptions, 'now'> = {},
): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const now = options.now ?? (() => new Date())
  const inviteUrl = (c: Context, token: string) =>
    `${c.req.header('origin') ?? new URL(c.req.url).origin}/admin/#/invite/${encodeURIComponent(token)}`

  routes.get('/team', async (c) => {
    const rows = await db
      .selectFrom('users')
      .selectAll()
      .where('site_id', '=', c.get('site').id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return c.json({ items: rows.map(memberView) })
  })

  routes.post('/team', async (c) => {
    const input = valid(InviteSchema, await readJson(c))
    const site = c.get('site')
    const { member, token } = await db.transaction().execute(async (trx) => {
      const made = await invite(trx, site.id, input, { now: now(), invitedBy: c.get('actor').name })
      await recordSiteChange(
        trx,
        site.id,
        { team: { before: null, after: made.member } },
        c.get('actor'),
      )
      return made
    })
    const answer: Invited = { member, inviteUrl: inviteUrl(c, token) }
    return c.json(answer, 201)
  })

  routes.patch('/team/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const patch = valid(MemberPatchSchema, await readJson(c))
    const site = c.get('site')
    const after = await db.transaction().execute(async (trx) => {
      const changed = await patchMember(trx, site.id, id, patch, now())
      await recordSiteChange(trx, site.id, { team: changed }, c.get('actor'))
      return changed.after
    })
    return c.json(after)
  })

  routes.post('/team/:id/invite', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const site = c.get('site')
    const token = await db.transaction().execute(async (trx) => {
      const row = await findMember(trx, site.id, id, true)
      if (row.password_hash !== null)
        throw new ApiError(409, 'conflict', `${row.email} has set a password already`)
      const made = await linkFor(
        trx,
        row.id,
        'invite',
        new Date(now().getTime() + INVITE_LIFETIME_MS),
      )
      await enqueuePersonMail(trx, site, row, {
        kind: 'team_invite',
        data: { token: made, invitedBy: c.get('actor').name },
      })
      return made
    })
    return c.json({ inviteUrl: inviteUrl(c, token) })
  })

  routes.get('/tokens', async (c) => c.json({ items: await listApiTokens(db, c.get('site').id) }))

  routes.post('/tokens', async (c) => {
    const input = valid(TokenCreateSchema, await readJson(c))
    const site = c.get('site')
    const created = await createApiToken(db, site.id, input)
    const { token: _, ...listed } = created
    await recordSiteChange(db, site.id, { tokens: { before: null, after: listed } }, c.get('actor'))
    return c.json(created, 201)
  })

  routes.delete('/tokens/:id', async (c) => {
    const { id } = valid(IdParamsSchema, c.req.param())
    const site = c.get('site')
    const revoked = await revokeApiToken(db, site.id, id, now())
    await recordSiteChange(
      db,
      site.id,
      { tokens: { before: null, after: revoked } },
      c.get('actor'),
    )
    return c.json(revoked)
  })

  // The new token is in the answer and nowhere else; the old one stops at once.
  routes.post('/site/admin-token', async (c) => {
    const site = c.get('site')
    const token = adminToken()
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sites')
        .set({ admin_token_hash: sha256(token) })
        .where('id', '=', site.id)
        .execute()
      await recordSiteChange(
        trx,
        site.id,
        { adminToken: { before: 'rotated', after: 'rotated' } },
        c.get('actor'),
      )
    })
    return c.json({ adminToken: token }, 201)
  })

  const me = (c: Context<AdminEnv>) => {
    const actor = c.get('actor')
    if (actor.kind !== 'user')
      throw new ApiError(403, 'forbidden', 'Only a person signed in has a second factor')
    return actor
  }

  // A new secret, not yet in force: the app shows it, and the first code confirms it.
  routes.post('/me/totp', async (c) => {
    const actor = me(c)
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow()
    if (row.totp_enabled) throw new ApiError(409, 'conflict', 'The second factor is on already')
    const secret = totpSecret()
    await db.updateTable('users').set({ totp_secret: secret }).where('id', '=', actor.id).execute()
    return c.json({ secret, otpauthUrl: otpauthUrl(secret, row.email, c.get('site').name) }, 201)
  })

  const codeOf = async (c: Context<AdminEnv>) => {
    const body = (await readJson(c)) as { code?: unknown }
    if (typeof body?.code !== 'string' || !/^\d{6}$/.test(body.code))
      throw new ApiError(400, 'invalid_request', 'code is six digits', { field: 'code' })
    return body.code
  }

  routes.post('/me/totp/confirm', async (c) => {
    const actor = me(c)
    const code = await codeOf(c)
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow()
    if (!row.totp_secret || !checkTotp(row.totp_secret, code, now().getTime()))
      throw new ApiError(400, 'invalid_request', 'That code is not right; enter the current one', {
        field: 'code',
      })
    const after = await db
      .updateTable('users')
      .set({ totp_enabled: true })
      .where('id', '=', actor.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return c.json(memberView(after))
  })

  routes.delete('/me/totp', async (c) => {
    const actor = me(c)
    const code = await codeOf(c)
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow()
    if (!row.totp_enabled || !row.totp_secret || !checkTotp(row.totp_secret, code, now().getTime()))
      throw new ApiError(400, 'invalid_request', 'That code is not right; enter the current one', {
        field: 'code',
      })
    const after = await db
      .updateTable('users')
      .set({ totp_enabled: false, totp_secret: null })
      .where('id', '=', actor.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return c.json(memberView(after))
  })

  return routes
}
