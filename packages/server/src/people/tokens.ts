/**
 * @module API tokens for scripts: named, scoped (`read`, `write`), stored as
 * their SHA-256, shown once, revocable; and the actor a bearer token is.
 */
import type { ApiToken, CreatedApiToken, TokenScope } from '@redress/protocol/admin'
import type { Kysely } from 'kysely'
import { apiTokenId, apiTokenSecret, matchesHash, sha256 } from '../_lib/crypto'
import { iso } from '../complaints'
import type { Site, Tables } from '../db/schema'
import { NotFoundError } from '../errors'
import type { Actor } from './permissions'

type TokenRow = {
  id: string
  name: string
  scopes: TokenScope[]
  created_at: Date | string
  last_used_at: Date | string | null
  revoked_at: Date | string | null
}

const tokenView = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: iso(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
  revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
})

/**
 * Make a token; its secret is in the answer and nowhere else.
 *
 * @example
 * const created = await createApiToken(db, site.id, { name: 'Nightly export', scopes: ['read'] })
 */
export async function createApiToken(
  db: Kysely<Tables>,
  siteId: string,
  input: { name: string; scopes: TokenScope[] },
): Promise<CreatedApiToken> {
  const token = apiTokenSecret()
  const row = await db
    .insertInto('api_tokens')
    .values({
      id: apiTokenId(),
      site_id: siteId,
      name: input.name,
      scopes: JSON.stringify(input.scopes),
      token_hash: sha256(token),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { ...tokenView(row as unknown as TokenRow), token }
}

/** The site's tokens, newest first, without their secrets. */
export async function listApiTokens(db: Kysely<Tables>, siteId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return rows.map((row) => tokenView(row as unknown as TokenRow))
}

/** Revoke a token of the site (again changes nothing); `NotFoundError` for another's. */
export async function revokeApiToken(
  db: Kysely<Tables>,
  siteId: string,
  id: string,
  now: Date,
): Promise<ApiToken> {
  const row = await db
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new NotFoundError(`No token ${id}`)
  return tokenView(row as unknown as TokenRow)
}

/**
 * The site and actor of a bearer token: the site's admin token (`rdk_…`), or
 * an API token (`rdt_…`) not revoked. Looked up by the hash, compared in
 * constant time.
 *
 * @example
 * const found = await tokenActor(db, bearer(c), new Date())
 */
export async function tokenActor(
  db: Kysely<Tables>,
  token: string | undefined,
  now: Date,
): Promise<{ site: Site; actor: Actor } | undefined> {
  if (!token) return undefined
  const hash = sha256(token)
  if (token.startsWith('rdt_')) {
    const row = await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (!row || !matchesHash(token, row.token_hash)) return undefined
    const site = await db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', row.site_id)
      .executeTakeFirstOrThrow()
    // At most one write a minute per token: "last used" is for people, not an audit.
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000)
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute()
    return { site, actor: { kind: 'token', id: row.id, name: row.name, scopes: row.scopes } }
  }
  const site = await db
    .selectFrom('sites')
    .selectAll()
    .where('admin_token_hash', '=', hash)
    .executeTakeFirst()
  if (!site || !matchesHash(token, site.admin_token_hash)) return undefined
  return { site, actor: { kind: 'admin_token', id: 'admin-token', name: 'Admin token' } }
}
