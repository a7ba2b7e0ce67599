/**
 * @module The pieces of the admin API's query strings (internal): values as
 * `c.req.query()` gives them, text that may be sent empty, and `?limit=`.
 */
import * as v from 'valibot'
import { STATUSES } from '../index'
import { clean, nfc } from './_valid'
import { ADMIN_LIMITS } from './words'

/**
 * A query parameter that may also be sent empty (`?status=`), which means
 * absent, as the server reads `c.req.query(name) || undefined`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function blankable<const TSchema extends v.GenericSchema<string>>(
  schema: TSchema,
  message: string,
) {
  return v.optional(
    v.pipe(
      v.string(message),
      v.transform((value) => (value === '' ? undefined : value)),
      v.optional(schema),
    ),
  )
}

/** A text filter: the protocol's text rules, NFC (not trimmed), at most `max` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function filterText(name: string, max?: number) {
  const checked = v.pipe(v.string(`${name} must be a string`), clean(name), nfc)
  return blankable(
    max === undefined
      ? checked
      : v.pipe(checked, v.maxLength(max, `${name} is at most ${max} characters`)),
    `${name} must be a string`,
  )
}

/** `true`, `false`, or empty/absent (no filter). */
/* @__NO_SIDE_EFFECTS__ */
export function booleanQuery(name: string) {
  const message = `${name} is true or false`
  return v.pipe(
    blankable(v.picklist(['true', 'false'], message), message),
    v.transform((value) => (value === undefined ? undefined : value === 'true')),
  )
}

/** How a status is refused, in the list's filter as in a complaint's patch. */
export const STATUS_MESSAGE = /* @__PURE__ */ (() =>
  `status must be one of ${STATUSES.join(', ')}`)()

const LIMIT_MESSAGE = /* @__PURE__ */ (() =>
  `limit is a whole number from 1 to ${ADMIN_LIMITS.listMax}`)()

/** `?limit=`: `Number()` of the text, a whole number from 1 to 100; 25 when absent (an empty value is 0, refused). */
export const limit = /* @__PURE__ */ (() =>
  v.optional(
    v.pipe(
      v.string(LIMIT_MESSAGE),
      v.transform(Number),
      v.check(
        (value) => Number.isInteger(value) && value >= 1 && value <= ADMIN_LIMITS.listMax,
        LIMIT_MESSAGE,
      ),
    ),
    String(ADMIN_LIMITS.listDefault),
  ))()
