/**
 * @module People and machines in the admin API: the site's team (each person
 * with a role and an authority limit), their sessions (sign-in with a
 * password or a one-time link, an optional TOTP second factor), and named,
 * scoped API tokens for scripts.
 */
import * as v from 'valibot'
import { body, text } from './_valid'
import { isMailAddress } from './mail'

/**
 * What a person may do. `viewer` reads; `agent` handles complaints (reply,
 * take, remedies within their limit); `manager` also approves, reassigns and
 * publishes notices; `owner` also changes the site's settings and its team.
 */
export const ROLES = ['owner', 'manager', 'agent', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** What an API token may do: `read` only, or `write` too (all but the team and tokens). */
export const TOKEN_SCOPES = ['read', 'write'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** Who did something, as the audit trail and the timeline name them. */
export interface ActorRef {
  kind: 'user' | 'token' | 'admin_token'
  id: string
  name: string
}

/** One person of the site's team, as `GET /v1/admin/team` lists them. */
export interface TeamMember {
  /** `usr_…` */
  id: string
  email: string
  name: string
  role: Role
  /** The most one remedy they give on their own may be worth, in minor units; `null`: no limit of their own. */
  remedyLimit: number | null
  /** The most their remedies may be worth in a UTC day, in minor units; `null`: no limit of their own. */
  dayLimit: number | null
  /** They have set a password (an invited person who has not is `false`). */
  active: boolean
  totp: boolean
  createdAt: string
  disabledAt: string | null
}

/** `POST /v1/admin/team`: the person, and their invitation link when no mail could carry it. */
export interface Invited {
  member: TeamMember
  /** The link to set a password, shown once: the server has no SMTP, so copy it to them. */
  inviteUrl: string | null
}

/** Who is signed in: `GET /v1/admin/session`, and the answer to signing in. */
export interface SessionView {
  user: TeamMember
  site: { name: string; publicKey: string }
  /** Send as `X-CSRF-Token` with every request that changes something. */
  csrfToken: string
  expiresAt: string
}

/** `POST /v1/admin/session` when a second factor is needed: `401` with this code. */
export const TOTP_REQUIRED = 'totp_required'

/** An API token as listed; its secret is shown once, when created. */
export interface ApiToken {
  /** `tok_…` */
  id: string
  name: string
  scopes: TokenScope[]
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** `POST /v1/admin/tokens`: the token and its secret (`rdt_…`), shown this once. */
export interface CreatedApiToken extends ApiToken {
  token: string
}

const EMAIL_MESSAGE = 'email is an e-mail address of at most 254 characters'
const PASSWORD_MESSAGE = 'password is 12–200 characters'
const NAME_MESSAGE = 'name is 1–100 characters'
const ROLE_MESSAGE = /* @__PURE__ */ (() => `role is one of ${ROLES.join(', ')}`)()
const LIMIT_MESSAGE = (field: string) =>
  `${field} is a whole number of minor units from 0 to 100000000, or null`

const email = /* @__PURE__ */ (() =>
  v.pipe(
    v.string(EMAIL_MESSAGE),
    v.trim(),
    v.toLowerCase(),
    v.maxLength(254, EMAIL_MESSAGE),
    v.check(isMailAddress, EMAIL_MESSAGE),
  ))()

const password = /* @__PURE__ */ (() =>
  v.pipe(
    v.string(PASSWORD_MESSAGE),
    v.minLength(12, PASSWORD_MESSAGE),
    v.maxLength(200, PASSWORD_MESSAGE),
  ))()

const limit = (field: string) =>
  v.optional(
    v.nullable(
      v.pipe(
        v.number(LIMIT_MESSAGE(field)),
        v.integer(LIMIT_MESSAGE(field)),
        v.minValue(0, LIMIT_MESSAGE(field)),
        v.maxValue(100_000_000, LIMIT_MESSAGE(field)),
      ),
    ),
  )

/**
 * `POST /v1/admin/session`: `email`, `password`, and `totp` (six digits) when
 * the person turned the second factor on.
 *
 * @example
 * parseAdmin(SignInSchema, { email: 'Ana@Shop.example', password: 'correct horse battery' })
 */
export const SignInSchema = /* @__PURE__ */ (() =>
  body({
    email,
    password: v.pipe(v.string(PASSWORD_MESSAGE), v.maxLength(200, PASSWORD_MESSAGE)),
    totp: v.optional(
      v.pipe(v.string('totp is six digits'), v.regex(/^\d{6}$/, 'totp is six digits')),
    ),
  }))()
export type SignIn = v.InferInput<typeof SignInSchema>

/**
 * `POST /v1/admin/team`: invite a person by e-mail with a role and, optionally,
 * authority limits in minor units of the site's currency.
 *
 * @example
 * parseAdmin(InviteSchema, { email: 'li@shop.example', name: 'Li', role: 'agent', remedyLimit: 2000, dayLimit: 10000 })
 */
export const InviteSchema = /* @__PURE__ */ (() =>
  body({
    email,
    name: text('name', 100, NAME_MESSAGE),
    role: v.picklist(ROLES, ROLE_MESSAGE),
    remedyLimit: limit('remedyLimit'),
    dayLimit: limit('dayLimit'),
  }))()
export type Invite = v.InferInput<typeof InviteSchema>

/**
 * `PATCH /v1/admin/team/{id}`: any of `name`, `role`, `remedyLimit`,
 * `dayLimit`, and `disabled` (`true` signs them out everywhere and keeps them out).
 */
export const MemberPatchSchema = /* @__PURE__ */ (() =>
  v.pipe(
    body({
      name: v.optional(text('name', 100, NAME_MESSAGE)),
      role: v.optional(v.picklist(ROLES, ROLE_MESSAGE)),
      remedyLimit: limit('remedyLimit'),
      dayLimit: limit('dayLimit'),
      disabled: v.optional(v.boolean('disabled is true or false')),
    }),
    v.check(
      (patch) => Object.values(patch).some((value) => value !== undefined),
      'Send at least one of name, role, remedyLimit, dayLimit, disabled',
    ),
  ))()
export type MemberPatch = v.InferInput<typeof MemberPatchSchema>

/** `POST /v1/admin/invites/accept` and `POST /v1/admin/session/link/use`: the link's token, and a password to set. */
export const AcceptInviteSchema = /* @__PURE__ */ (() =>
  body({
    token: v.pipe(
      v.string('token is the link’s token'),
      v.maxLength(200, 'token is the link’s token'),
    ),
    password,
  }))()

/** `POST /v1/admin/session/link`: mail a one-time sign-in link to this address (always `202`). */
export const SignInLinkSchema = /* @__PURE__ */ (() => body({ email }))()

/** `POST /v1/admin/tokens`: a name and the scopes (`read`, or `read` and `write`). */
export const TokenCreateSchema = /* @__PURE__ */ (() =>
  body({
    name: text('name', 100, NAME_MESSAGE),
    scopes: v.pipe(
      v.array(v.picklist(TOKEN_SCOPES, 'scopes holds read and write only'), 'scopes is an array'),
      v.minLength(1, 'scopes is a non-empty array'),
      v.transform((scopes) => [...new Set(scopes)]),
    ),
  }))()
export type TokenCreate = v.InferInput<typeof TokenCreateSchema>
