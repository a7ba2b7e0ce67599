/**
 * The subset of the Web Storage API the outbox needs. `localStorage`
 * satisfies it; so does {@link memoryStorage}.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/**
 * Storage that lives as long as the object: for server-side rendering, tests,
 * and pages where `localStorage` is unavailable.
 *
 * @example
 * const storage = memoryStorage()
 * createRedress({ site: 'pk_demo', adapter, storage })
 */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  }
}

/**
 * `localStorage` when the page may use it, memory otherwise. Reading the
 * property throws in sandboxed frames and where storage is blocked; writes
 * that fail later (quota, private mode) are the outbox's to handle.
 */
export function defaultStorage(): KeyValueStorage {
  try {
    return globalThis.localStorage ?? memoryStorage()
  } catch {
    return memoryStorage()
  }
}
