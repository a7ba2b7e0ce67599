/**
 * @module The building blocks of the admin API's request schemas (internal):
 * each says what the reference server's hand-written checks said, in the
 * same order, so the first valibot issue is the server's refusal. Every
 * helper is pure, so a bundle keeps only the schemas it uses. The schemas and
 * messages built at module level sit in `/* @__PURE__ *\/ (() => …)()`:
 * bundlers keep template literals and method calls in module code otherwise.
 */
import * as v from 'valibot'
import { cleanText } from '../schema/index'

/** What `v.object(entries)` takes. */
export type ObjectInput<E extends v.ObjectEntries> = v.InferInput<v.ObjectSchema<E, undefined>>

/** A JSON object: not `null`, not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Why `value` breaks the protocol's text rules as `field` (a control
 * character, an unpaired surrogate; tab and line breaks pass with
 * `multiline`), in the server's words; `undefined` when it does not.
 */
export const textProblem = (value: string, field: string, multiline?: boolean) => {
  const result = cleanText(value, field, { multiline })
  return result.success ? undefined : result.issues[0]!.message
}

/**
 * Refuses a string `textProblem` objects to, naming `field` in the message
 * (the server's `clean(value, field)`); does not normalise.
 */
/* @__NO_SIDE_EFFECTS__ */
export function clean<T extends string>(field: string, multiline?: boolean) {
  return v.check<T, v.ErrorMessage<v.CheckIssue<T>>>(
    (input) => textProblem(input, field, multiline) === undefined,
    (issue) => textProblem(issue.input, field, multiline) ?? '',
  )
}

/** NFC, as the server stores text. */
export const nfc = v.transform((input: string) => input.normalize('NFC'))

/**
 * Text the server cleans, normalises and trims, then wants 1–`max`
 * characters long: anything else is refused with `message` (a control
 * character with `clean`'s message naming `field`).
 */
/* @__NO_SIDE_EFFECTS__ */
export function text(field: string, max: number, message: string, multiline?: boolean) {
  return v.pipe(
    v.string(message),
    clean(field, multiline),
    nfc,
    v.trim(),
    v.minLength(1, message),
    v.maxLength(max, message),
  )
}

/** Always refused with `message`: a field that must not be sent. */
/* @__NO_SIDE_EFFECTS__ */
export function refuse(message: string) {
  return v.custom<never>(() => false, message)
}

/** A path item for an issue added by hand (`key` joins with a dot). */
export const at = (key: string, input?: unknown, value?: unknown): v.IssuePathItem => ({
  type: 'unknown',
  origin: 'value',
  input,
  key,
  value,
})

/**
 * Refuses the first key that is not one of `keys`, at that key: `Unknown
 * field {key}`, or what `message` says of it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function knownKeys<T>(
  keys: readonly string[],
  message = (key: string) => `Unknown field ${key}`,
) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const input = dataset.value as Record<string, unknown>
    const key = Object.keys(input).find((name) => !keys.includes(name))
    if (key !== undefined) {
      addIssue({
        message: message(key),
        path: [{ type: 'object', origin: 'key', input, key, value: input[key] }],
      })
    }
  })
}

/**
 * `v.object`, except that a missing key is refused with the message its
 * schema gives `undefined` (the server reads a missing field as
 * `undefined`), not with one message for the whole object.
 */
/* @__NO_SIDE_EFFECTS__ */
export function fields<const E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, (issue) => {
    const key = issue.path?.[0]?.key
    const schema = typeof key === 'string' ? entries[key] : undefined
    return (schema && v.safeParse(schema, undefined).issues?.[0]?.message) ?? 'Send a JSON object'
  })
}

/**
 * A JSON object body: `notObject` unless it is one, then `Unknown field
 * {key}` for the first key not in `entries`, then each entry in order.
 */
/* @__NO_SIDE_EFFECTS__ */
export function body<const E extends v.ObjectEntries>(
  entries: E,
  notObject = 'Send a JSON object',
) {
  return v.pipe(
    v.custom<ObjectInput<E>>(isRecord, notObject),
    knownKeys<ObjectInput<E>>(Object.keys(entries)),
    fields(entries),
  )
}

/**
 * The items of an array checked one by one, in order, by the schema
 * `item(field, index, earlier)` makes for each: `field` is the item's name
 * as the server spells it in messages (`categories[2]`), `earlier` the items
 * before it. Issues are placed at the item (`categories[2].id`).
 */
/* @__NO_SIDE_EFFECTS__ */
export function items<TItem extends v.GenericSchema>(
  name: string,
  item: (field: string, index: number, earlier: readonly unknown[]) => TItem,
) {
  return v.rawTransform<v.InferInput<TItem>[], v.InferOutput<TItem>[]>(
    ({ dataset, config, addIssue, NEVER }) => {
      const all = dataset.value
      const out: v.InferOutput<TItem>[] = []
      for (let index = 0; index < all.length; index++) {
        const entry = all[index]
        const result = v.safeParse(item(`${name}[${index}]`, index, all.slice(0, index)), entry, {
          abortEarly: config.abortEarly,
          abortPipeEarly: config.abortPipeEarly,
          lang: config.lang,
        })
        if (result.success) {
          out.push(result.output)
          continue
        }
        for (const issue of result.issues) {
          addIssue({
            message: issue.message,
            input: issue.input,
            path: [
              { type: 'array', origin: 'value', input: all, key: index, value: entry },
              ...(issue.path ?? []),
            ],
          })
        }
        if (config.abortEarly) return NEVER
      }
      return out
    },
  )
}

/** A refusal thrown inside a hand-ported check: the message, and the keys of its field below the value checked. */
export class Refusal {
  constructor(
    readonly message: string,
    readonly keys: readonly string[] = [],
  ) {}
}

/**
 * A check written as plain code (a port of the server's parser) as a valibot
 * transformation: `run` returns the output or throws a `Refusal`, whose keys
 * become the issue's path.
 */
/* @__NO_SIDE_EFFECTS__ */
export function ported<TInput, TOutput>(run: (input: TInput) => TOutput) {
  return v.rawTransform<TInput, TOutput>(({ dataset, addIssue, NEVER }) => {
    try {
      return run(dataset.value)
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      const [first, ...rest] = error.keys.map((key) => at(key))
      addIssue({ message: error.message, ...(first ? { path: [first, ...rest] } : {}) })
      return NEVER
    }
  })
}
