import { describe, expect, it } from 'vitest'
import { DEFAULT_CATEGORIES, FAILURE_TYPES, LIMITS } from './index'
import { validateSiteConfig } from './schema'

describe('DEFAULT_CATEGORIES', () => {
  it('are the built-in ids, each with its failure type, in the order clients offer them', () => {
    expect(DEFAULT_CATEGORIES).toEqual([
      { id: 'broken', failureType: 'outcome' },
      { id: 'order', failureType: 'outcome' },
      { id: 'slow', failureType: 'process' },
      { id: 'billing', failureType: 'outcome' },
      { id: 'staff', failureType: 'interaction' },
      { id: 'other', failureType: 'process' },
    ])
  })

  it('are valid site categories, with unique ids, and cover every failure type', () => {
    const ids = DEFAULT_CATEGORIES.map((category) => category.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9_-]+$/)
      expect(id.length).toBeLessThanOrEqual(LIMITS.category)
    }
    expect(new Set(DEFAULT_CATEGORIES.map((category) => category.failureType))).toEqual(
      new Set(FAILURE_TYPES),
    )
    const config = { categories: DEFAULT_CATEGORIES, guarantee: null }
    expect(validateSiteConfig(config)).toEqual({ success: true, output: config })
  })
})
