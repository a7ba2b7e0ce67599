/**
 * @module Signing in: a password (and a TOTP code when the person turned it
 * on) or a one-time link opens a session. The browser keeps the session's id
 * in an HttpOnly cookie; the database keeps only its hash. A request that
 * changes something also carries the session's CSRF token, an HMAC of its id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { opaqueToken, sha256 } from '../_lib/crypto'
import type { Tables, UserRow } from '../db/schema'
import { hashPassword } from './passwords'

/** How long a session lasts without use, and at most. */
export const SESSION_IDLE_MS = 12 * 3_600_000
export const SESSION_MAX_MS = 7 * 86_400_000
/** The cookie that carries the session's id. */
export const SESSION_COOKIE = 'redress_session'

/**
 * The CSRF token of a session: an HMAC of its id under the server secret, so
 * the server stores nothing more and a page of another origin cannot know it.
 *
 * @example
 * csrfToken(secret, sessionId)
 */
export const csrfToken = (secret: string, sessionId: string): string =>
  createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url')

/** Whether `presented` is the session's CSRF token, in constant time. */
export function checkCsrf(
  secret: string,
  sessionId: string,
  presented: string | undefined,
): boolean {
  if (!presented) return false
  const a = Buffer.from(csrfToken(secret, sessionId))
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Open a session for a person: returns its id (for the cookie) and when it
 * ends at the latest.
 *
 * @example
 * const { id, expiresAt } = await openSession(db, user.id, new Date())
 */
export async function openSession(
  db: Kysely<Tables>,
  user: string,
  now: Date,
): Promise<{ id: string; expiresAt: Date }> {
  const id = opaqueToken()
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS)
  await db
    .insertInto('sessions')
    .values({ id_hash: sha256(id), user_id: user, expires_at: expiresAt, last_seen_at: now })
    .execute()
  return { id, expiresAt }
}

/**
 * The person of a live session (not revoked, not expired, not idle too long,
 * not disabled), with the session's hash; `undefined` otherwise. Marks the
 * session seen, at most once a minute.
 *
 * @example
 * const found = await sessionUser(db, cookieValue, new Date())
 */
export async function sessionUser(
  db: Kysely<Tables>,
  id: string | undefined,
  now: Date,
): Promise<{ user: UserRow; hash: string; expiresAt: Date } | undefined> {
  if (!id || id.length > 100) return undefined
  const hash = sha256(id)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.last_seen_at', 'sessions.expires_at', 'sessions.revoked_at'])
    .where('sessions.id_hash', '=', hash)
    .executeTakeFirst()
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return undefined
  const seen = new Date(row.last_seen_at).getTime()
  const expiresAt = new Date(row.expires_at)
  if (expiresAt.getTime() <= now.getTime() || now.getTime() - seen > SESSION_IDLE_MS)
    return undefined
  if (now.getTime() - seen > 60_000)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', hash)
      .execute()
  const { last_seen_at: _, expires_at: __, revoked_at: ___, ...user } = row
  return { user: user as UserRow, hash, expiresAt }
}

/**
 * End a session (signing out). Ending it again changes nothing.
 *
 * @example
 * await revokeSession(db, actor.session, new Date())
 */
export async function revokeSession(db: Kysely<Tables>, hash: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .execute()
}

/**
 * Use a one-time link: once, before it expires, by a person not disabled.
 * An invitation sets the password it comes with. Returns the person, or
 * `undefined` for a link that is unknown, used, expired or for a disabled
 * person (the caller says only that the link does not work).
 *
 * @example
 * const user = await useLink(db, body.token, 'invite', new Date(), body.password)
 */
export async function useLink(
  db: Kysely<Tables>,
  token: string,
  purpose: 'invite' | 'sign_in',
  now: Date,
  password?: string,
): Promise<UserRow | undefined> {
  // Hashed before the transaction: Argon2 takes tens of milliseconds.
  const hashed = password === undefined ? undefined : await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .updateTable('sign_in_links')
      .set({ used_at: now })
      .where('token_hash', '=', sha256(token))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst()
    if (!link) return undefined
    if (hashed)
      return trx
        .updateTable('users')
        .set({ password_hash: hashed })
        .where('id', '=', link.user_id)
        .where('disabled_at', 'is', null)
        .returningAll()
        .executeTakeFirst()
    return trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', link.user_id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst()
  })
}
