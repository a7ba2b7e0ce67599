import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../index'
import { ADMIN_ERROR_CODES, issueField, parseAdmin } from './index'

describe('the admin error codes', () => {
  it('are the protocol’s and the admin API’s own', () => {
    expect(ADMIN_ERROR_CODES).toEqual([
      ...ERROR_CODES,
      'conflict',
      'cap_exceeded',
      'forbidden',
      'totp_required',
    ])
  })
})

describe('parseAdmin', () => {
  const schema = v.object({
    name: v.pipe(v.string('name is text'), v.trim()),
    list: v.array(v.object({ id: v.string('id is text') })),
    nested: v.optional(v.object({ deep: v.number('deep is a number') })),
  })

  it('gives the normalised value', () => {
    expect(parseAdmin(schema, { name: ' a ', list: [] })).toEqual({
      ok: true,
      value: { name: 'a', list: [] },
    })
  })

  it('gives the first issue’s message and field, dotted with array items in brackets', () => {
    expect(parseAdmin(schema, { name: 1, list: [{ id: 2 }] })).toEqual({
      ok: false,
      message: 'name is text',
      field: 'name',
    })
    expect(parseAdmin(schema, { name: 'a', list: [{ id: 'x' }, { id: 2 }] })).toEqual({
      ok: false,
      message: 'id is text',
      field: 'list[1].id',
    })
    expect(parseAdmin(schema, { name: 'a', list: [], nested: { deep: 'x' } })).toEqual({
      ok: false,
      message: 'deep is a number',
      field: 'nested.deep',
    })
  })

  it('names the whole value with an empty field', () => {
    const result = v.safeParse(v.string('text'), 1)
    expect(issueField(result.issues![0])).toBe('')
  })
})
