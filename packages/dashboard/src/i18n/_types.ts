/**
 * @module The shapes the message tables are written in, apart from the tables
 * so that a table can name them without importing the module that imports it.
 */

/** A table's type with its strings widened, so another language can fill it. */
export type Widen<T> = T extends string
  ? string
  : T extends undefined
    ? undefined
    : { [K in keyof T]: Widen<T[K]> }

/**
 * A message that depends on a count, one variant per plural category of
 * `Intl.PluralRules`: English needs `one` and `other`, Chinese has no plural
 * forms and gives only `other`. Write it in a table as `{ one, other } as Plural`.
 */
export interface Plural {
  zero?: string
  one?: string
  two?: string
  few?: string
  many?: string
  other: string
}
