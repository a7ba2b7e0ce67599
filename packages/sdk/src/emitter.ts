/** Removes the listener it was returned for. Calling it twice does nothing. */
export type Unsubscribe = () => void

export type Listener<T> = (payload: T) => unknown

export interface Emitter<Events> {
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): Unsubscribe
  once<K extends keyof Events>(type: K, listener: Listener<Events[K]>): Unsubscribe
  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void
  emit<K extends keyof Events>(type: K, payload: Events[K]): void
  clear(): void
}

// Each subscription is its own record, so one function added twice is two
// subscriptions, each removed by its own unsubscribe. Lists are replaced,
// never changed in place, so an emit walks the list as it was when it began.
interface Subscription {
  fn: Listener<never>
  once: boolean
}

/**
 * A typed event emitter. A listener that throws (or returns a rejected
 * promise) is reported to `onError` and never stops the other listeners or
 * the code that emitted.
 */
export function createEmitter<Events>(
  onError: (error: unknown, type: keyof Events) => void,
): Emitter<Events> {
  let lists: { [K in keyof Events]?: Subscription[] } = {}

  const remove = (type: keyof Events, subscription?: Subscription) => {
    lists[type] = lists[type]?.filter((other) => other !== subscription)
  }

  const add = (type: keyof Events, fn: Listener<never>, once: boolean): Unsubscribe => {
    const subscription = { fn, once }
    lists[type] = [...(lists[type] ?? []), subscription]
    return () => remove(type, subscription)
  }

  return {
    on: (type, listener) => add(type, listener, false),
    once: (type, listener) => add(type, listener, true),
    off: (type, listener) =>
      remove(
        type,
        lists[type]?.find((other) => other.fn === listener),
      ),
    emit(type, payload) {
      for (const subscription of lists[type] ?? []) {
        // One removed by an earlier listener of this round is skipped, as in the DOM.
        if (!lists[type]?.includes(subscription)) continue
        if (subscription.once) remove(type, subscription)
        try {
          const result = (subscription.fn as Listener<unknown>)(payload) as
            | { catch?: unknown }
            | undefined
          if (typeof result?.catch === 'function') {
            ;(result as Promise<unknown>).catch((error) => onError(error, type))
          }
        } catch (error) {
          onError(error, type)
        }
      }
    },
    clear() {
      lists = {}
    },
  }
}
