/**
 * @module Passwords, hashed with Argon2id (`@node-rs/argon2`, its defaults:
 * 19 MiB, 2 passes, one lane, as OWASP recommends) into a PHC string.
 */
import { hash, verify } from '@node-rs/argon2'

/** `Algorithm.Argon2id`, a `const enum` the package's types cannot export to isolated modules. */
const ARGON2ID = 2

/**
 * The PHC string to store for a password.
 *
 * @example
 * const stored = await hashPassword('correct horse battery staple') // '$argon2id$v=19$m=19456,t=2,p=1$…'
 */
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: ARGON2ID })

// Verified against when there is no account, so an unknown address costs the
// same time as a wrong password and tells an attacker nothing.
let dummy: Promise<string> | undefined

/**
 * Whether `password` is the one `stored` was made from; `false` for no stored
 * hash, after the same work as a real check.
 *
 * @example
 * await checkPassword(user.password_hash, body.password) // true or false
 */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('no account has this password')
    await verify(await dummy, password).catch(() => false)
    return false
  }
  return verify(stored, password).catch(() => false)
}
