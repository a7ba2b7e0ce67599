/**
 * @module People and machines: the site's team, their sessions and links,
 * API tokens, and who may do what.
 */
export { checkPassword, hashPassword } from './passwords'
export { type Actor, type Capability, can, capabilityFor, FIRST_ROLE } from './permissions'
export {
  checkCsrf,
  csrfToken,
  openSession,
  revokeSession,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionUser,
  useLink,
} from './sessions'
export { findMember, INVITE_LIFETIME_MS, invite, linkFor, memberView, patchMember } from './team'
export { createApiToken, listApiTokens, revokeApiToken, tokenActor } from './tokens'
export { checkTotp, otpauthUrl, totpCode, totpSecret } from './totp'
