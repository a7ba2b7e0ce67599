/**
 * @module The rules every string of the protocol follows, and the valibot
 * pieces the schemas are built from (internal). Each is pure: a bundle keeps
 * only what its schemas use.
 */
import * as v from 'valibot'
import { EMAIL_PATTERN, LIMITS } from '../index'

// What no string on the wire may hold: C0 controls, DEL and C1 controls
// (PostgreSQL refuses U+0000 outright; the rest corrupt logs, CSV and
// terminals), and unpaired surrogates, which have no UTF-8 form. With the `u`
// flag a surrogate pair is one code point, outside the range, so only unpaired
// halves match; `String.prototype.isWellFormed` would say the same but is
// newer than the ES2022 the browser bundles target. Free text keeps tab, line
// feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN_IN_LINE = /[\0-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN_IN_TEXT = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u

/** Why `value` may not be `field`, naming the first offending character; `undefined` when it may. */
export function textProblem(value: string, field: string, multiline?: boolean): string | undefined {
  const found = (multiline ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE).exec(value)?.[0]
  if (found === undefined) return undefined
  const code = found.charCodeAt(0)
  const what =
    code >= 0xd800
      ? 'an unpaired surrogate'
      : code === 0x0a || code === 0x0d
        ? 'a line break'
        : 'a control character'
  return `${field} contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
}

/** Refuses a string `textProblem` objects to; anything else passes to the schema beside it. */
/* @__NO_SIDE_EFFECTS__ */
export function clean<T>(field: string, multiline?: boolean) {
  return v.check<T, v.ErrorMessage<v.CheckIssue<T>>>(
    (input) => typeof input !== 'string' || !textProblem(input, field, multiline),
    (issue) => textProblem(issue.input as string, field, multiline) ?? '',
  )
}

// Normalised before the length checks, so what is stored is within its limit:
// NFC lengthens a few characters (U+0958 becomes two units).
export const nfc = /* @__PURE__ */ v.transform((input: string) => input.normalize('NFC'))

/** Optional text: one line unless `multiline` (free text keeps tab and line breaks). */
/* @__NO_SIDE_EFFECTS__ */
export function text(max: number, field: string, multiline?: boolean) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field, multiline),
    nfc,
    v.maxLength(max, `${field} must be at most ${max} characters`),
  )
}

/* @__NO_SIDE_EFFECTS__ */
export function requiredText(max: number, field: string, multiline?: boolean) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field, multiline),
    v.trim(),
    nfc,
    v.minLength(1, `${field} is required`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  )
}

/* @__NO_SIDE_EFFECTS__ */
export function timestamp(field: string) {
  return v.pipe(
    v.string(`${field} must be a string`),
    clean<string>(field),
    v.isoTimestamp(`${field} must be an ISO 8601 timestamp, e.g. 2026-11-23T10:00:00Z`),
  )
}

export const email = /* @__PURE__ */ (() =>
  v.pipe(
    v.string('email must be a string'),
    clean<string>('email'),
    nfc,
    v.maxLength(LIMITS.email, `email must be at most ${LIMITS.email} characters`),
    v.regex(EMAIL_PATTERN, 'email must be a valid email address'),
  ))()

/* @__NO_SIDE_EFFECTS__ */
export function score(field: string) {
  return v.picklist([1, 2, 3, 4, 5], `${field} must be a whole number from 1 to 5`)
}
