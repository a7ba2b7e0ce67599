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

/** `localStorage` when the page may use it, memory otherwise. */
export function defaultStorage(): KeyValueStorage {
  try {
    // Reading the property throws in sandboxed frames and when storage is blocked.
    const storage = globalThis.localStorage
    const probe = 'redress:probe'
    storage.setItem(probe, probe)
    storage.removeItem(probe)
    return storage
  } catch {
    return memoryStorage()
  }
}
