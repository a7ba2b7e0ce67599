/**
 * @module Signing in and out of the admin API: `POST /session` (an e-mail
 * address and password, and a TOTP code when turned on), `GET /session` (who
 * is signed in, and the CSRF token), `DELETE /session`, `POST /session/link`
 * (a one-time sign-in link by mail), `POST /session/link/use`, `POST
 * /invites/accept` (an invitation's link with a new password). The session
 * is an HttpOnly, SameSite=Strict cookie, Secure over HTTPS.
 */
import {
  AcceptInviteSchema,
  type SessionView,
  SignInLinkSchema,
  SignInSchema,
  TOTP_REQUIRED,
} from '@redress/protocol/admin'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Kysely } from 'kysely'
import type { Tables, UserRow } from '../../db/schema'
import { ApiError, clientKey, countHit, readJson, valid } from '../../http'
import { clientAddress } from '../../http/client-address'
import { enqueuePersonMail } from '../../outbox'
import {
  checkPassword,
  checkTotp,
  csrfToken,
  linkFor,
  memberView,
  openSession,
  revokeSession,
  SESSION_COOKIE,
  SESSION_MAX_MS,
  sessionUser,
  useLink,
} from '../../people'
import type { AdminEnv, AdminOptions } from './context'

/** Sign-in attempts allowed per 15 minutes: per account, and per client address. */
export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 30, windowSeconds: 900 } as const
/** How long a mailed sign-in link works. */
const LINK_LIFETIME_MS = 15 * 60_000

/** The session routes, a sub-app for the admin API. */
export function sessionRoutes(db: Kysely<Tables>, options: AdminOptions = {}): Hono<AdminEnv> {
  const routes = new Hono<AdminEnv>()
  const now = options.now ?? (() => new Date())
  const secret = options.secret ?? ''

  /**
   * Count one attempt for the address and the account (none for a link,
   * whose token is its own secret); `429` past either limit, before any check.
   */
  async function limitAttempts(c: Context, account: string | null, at: Date) {
    const size = SIGN_IN_LIMITS.windowSeconds * 1000
    const start = new Date(Math.floor(at.getTime() / size) * size)
    const retryAfter = String(
      Math.max(1, Math.ceil((start.getTime() + size - at.getTime()) / 1000)),
    )
    const address = clientKey(clientAddress(c, options.trustProxy))
    const byAddress = await countHit(db, 'sign_in_ip', address, start)
    const byAccount = account === null ? 0 : await countHit(db, 'sign_in_account', account, start)
    if (byAddress > SIGN_IN_LIMITS.perAddress || byAccount > SIGN_IN_LIMITS.perAccount)
      throw new ApiError(
        429,
        'rate_limited',
        `Too many sign-in attempts; try again in ${retryAfter} s`,
        {
          headers: { 'retry-after': retryAfter },
        },
      )
  }

  /** Open a session for the person, set its cookie, and answer who they are. */
  async function signedIn(c: Context, user: UserRow, at: Date) {
    const { id, expiresAt } = await openSession(db, user.id, at)
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure:
        new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
      path: '/',
      maxAge: SESSION_MAX_MS / 1000,
    })
    return c.json(await view(user, id, expiresAt))
  }

  async function view(user: UserRow, sessionId: string, expiresAt: Date): Promise<SessionView> {
    const site = await db
      .selectFrom('sites')
      .select(['name', 'public_key'])
      .where('id', '=', user.site_id)
      .executeTakeFirstOrThrow()
    return {
      user: memberView(user),
      site: { name: site.name, publicKey: site.public_key },
      csrfToken: csrfToken(secret, sessionId),
      expiresAt: expiresAt.toISOString(),
    }
  }

  const wrong = () =>
    new ApiError(401, 'unauthorized', 'The e-mail address or the password is wrong')

  routes.post('/session', async (c) => {
    const body = valid(SignInSchema, await readJson(c))
    const at = now()
    await limitAttempts(c, body.email, at)
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', body.email)
      .executeTakeFirst()
    const ok = await checkPassword(user?.password_hash ?? null, body.password)
    if (!user || !ok || user.disabled_at !== null) throw wrong()
    if (user.totp_enabled) {
      if (!body.totp)
        throw new ApiError(
          401,
          TOTP_REQUIRED,
          'Enter the six-digit code from your authenticator app',
          {
            field: 'totp',
          },
        )
      if (!user.totp_secret || !checkTotp(user.totp_secret, body.totp, at.getTime()))
        throw new ApiError(401, 'unauthorized', 'That code is not right; enter the current one', {
          field: 'totp',
        })
    }
    return signedIn(c, user, at)
  })

  routes.get('/session', async (c) => {
    const id = getCookie(c, SESSION_COOKIE)
    const found = await sessionUser(db, id, now())
    if (!found) throw new ApiError(401, 'unauthorized', 'Not signed in')
    return c.json(await view(found.user, id!, found.expiresAt))
  })

  // Signing out needs no CSRF token: the worst another page can do is sign someone out.
  routes.delete('/session', async (c) => {
    const id = getCookie(c, SESSION_COOKIE)
    const found = await sessionUser(db, id, now())
    if (found) await revokeSession(db, found.hash, now())
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  // Always 202, known address or not: the answer tells nobody who has an account.
  routes.post('/session/link', async (c) => {
    const { email } = valid(SignInLinkSchema, await readJson(c))
    const at = now()
    await limitAttempts(c, email, at)
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .where('disabled_at', 'is', null)
      .executeTakeFirst()
    if (user?.password_hash)
      await db.transaction().execute(async (trx) => {
        const token = await linkFor(
          trx,
          user.id,
          'sign_in',
          new Date(at.getTime() + LINK_LIFETIME_MS),
        )
        await enqueuePersonMail(
          trx,
          user.site_id,
          user,
          { kind: 'sign_in_link', data: { token } },
          at,
        )
      })
    return c.body(null, 202)
  })

  const linkRefused = () =>
    new ApiError(
      400,
      'invalid_request',
      'This link does not work: it was used, it expired, or it is not ours',
      {
        field: 'token',
      },
    )

  routes.post('/session/link/use', async (c) => {
    const body = (await readJson(c)) as { token?: unknown }
    if (typeof body?.token !== 'string' || body.token.length > 200) throw linkRefused()
    const at = now()
    await limitAttempts(c, null, at)
    const user = await useLink(db, body.token, 'sign_in', at)
    if (!user) throw linkRefused()
    return signedIn(c, user, at)
  })

  routes.post('/invites/accept', async (c) => {
    const { token, password } = valid(AcceptInviteSchema, await readJson(c))
    const at = now()
    await limitAttempts(c, null, at)
    const user = await useLink(db, token, 'invite', at, password)
    if (!user) throw linkRefused()
    return signedIn(c, user, at)
  })

  return routes
}
