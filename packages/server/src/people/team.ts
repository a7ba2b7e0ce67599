/**
 * @module The site's team: inviting a person (a one-time link to set their
 * password, mailed and shown to the owner), listing and changing them, and
 * the view the admin API shows of each.
 */
import type { Role, TeamMember } from '@redress/protocol/admin'
import type { Kysely, Transaction } from 'kysely'
import { opaqueToken, sha256, userId } from '../_lib/crypto'
import { iso } from '../complaints'
import type { Tables, UserRow } from '../db/schema'
import { ConflictError, NotFoundError } from '../errors'
import { enqueuePersonMail } from '../outbox'

/** How long an invitation link works. */
export const INVITE_LIFETIME_MS = 7 * 86_400_000

/**
 * A person as the admin API shows them (never their password hash or TOTP secret).
 *
 * @example
 * memberView(row) // { id: 'usr_…', email: 'li@shop.example', role: 'agent', active: false, … }
 */
export const memberView = (row: UserRow): TeamMember => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  remedyLimit: row.remedy_limit === null ? null : Number(row.remedy_limit),
  dayLimit: row.day_limit === null ? null : Number(row.day_limit),
  active: row.password_hash !== null,
  totp: row.totp_enabled,
  createdAt: iso(row.created_at as unknown as Date),
  disabledAt: row.disabled_at === null ? null : iso(row.disabled_at),
})

/**
 * A one-time link for a person (an invitation or a sign-in), stored as its
 * hash; returns the token to put in the link.
 *
 * @example
 * const token = await linkFor(trx, user.id, 'invite', new Date(Date.now() + INVITE_LIFETIME_MS))
 */
export async function linkFor(
  db: Kysely<Tables>,
  user: string,
  purpose: 'invite' | 'sign_in',
  expiresAt: Date,
): Promise<string> {
  const token = opaqueToken()
  await db
    .insertInto('sign_in_links')
    .values({ token_hash: sha256(token), user_id: user, purpose, expires_at: expiresAt })
    .execute()
  return token
}

/**
 * Invite a person: their account (no password yet), an invitation link that
 * works for 7 days, mailed to them in the team's language. One account per
 * address on the server (`ConflictError` otherwise). Returns the person and
 * the link's token.
 *
 * @example
 * const { member, token } = await invite(trx, site.id, { email, name, role: 'agent' }, { publicUrl, by: 'Ana' })
 */
export async function invite(
  trx: Transaction<Tables>,
  siteId: string,
  input: {
    email: string
    name: string
    role: Role
    remedyLimit?: number | null
    dayLimit?: number | null
  },
  context: { now: Date; invitedBy: string },
): Promise<{ member: TeamMember; token: string }> {
  const taken = await trx
    .selectFrom('users')
    .select('id')
    .where('email', '=', input.email)
    .executeTakeFirst()
  if (taken) throw new ConflictError(`${input.email} already has an account`, 'email')
  const row = await trx
    .insertInto('users')
    .values({
      id: userId(),
      site_id: siteId,
      email: input.email,
      name: input.name,
      role: input.role,
      remedy_limit: input.remedyLimit ?? null,
      day_limit: input.dayLimit ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const token = await linkFor(
    trx,
    row.id,
    'invite',
    new Date(context.now.getTime() + INVITE_LIFETIME_MS),
  )
  await enqueuePersonMail(trx, siteId, row, {
    kind: 'team_invite',
    data: { token, invitedBy: context.invitedBy },
  })
  return { member: memberView(row), token }
}

/**
 * The site's person `id`, or `NotFoundError` (also for another site's).
 *
 * @example
 * const row = await findMember(trx, site.id, id, true)
 */
export async function findMember(
  db: Kysely<Tables>,
  siteId: string,
  id: string,
  lock = false,
): Promise<UserRow> {
  let query = db.selectFrom('users').selectAll().where('site_id', '=', siteId).where('id', '=', id)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) throw new NotFoundError(`No team member ${id}`)
  return row
}

/**
 * Change a person. Disabling them revokes every session at once; the site's
 * last active owner can be neither disabled nor demoted (`ConflictError`).
 *
 * @example
 * await patchMember(trx, site.id, id, { role: 'manager' }, new Date())
 */
export async function patchMember(
  trx: Transaction<Tables>,
  siteId: string,
  id: string,
  patch: {
    name?: string | undefined
    role?: Role | undefined
    remedyLimit?: number | null | undefined
    dayLimit?: number | null | undefined
    disabled?: boolean | undefined
  },
  now: Date,
): Promise<{ before: TeamMember; after: TeamMember }> {
  // The site's row first, then the person's: two owners changed at once see each other.
  await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute()
  const current = await findMember(trx, siteId, id, true)
  const losesOwner =
    current.role === 'owner' &&
    current.disabled_at === null &&
    ((patch.role !== undefined && patch.role !== 'owner') || patch.disabled === true)
  if (losesOwner) {
    const { count } = await trx
      .selectFrom('users')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('site_id', '=', siteId)
      .where('role', '=', 'owner')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow()
    if (Number(count) <= 1)
      throw new ConflictError('The site needs an owner: make someone else owner first', 'role')
  }
  const row = await trx
    .updateTable('users')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.remedyLimit !== undefined ? { remedy_limit: patch.remedyLimit } : {}),
      ...(patch.dayLimit !== undefined ? { day_limit: patch.dayLimit } : {}),
      ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? now : null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (patch.disabled)
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute()
  return { before: memberView(current), after: memberView(row) }
}
