/**
 * @module The inbox's state, kept per API client so that opening a complaint
 * and coming back finds the same filters, rows and selection: loading pages,
 * the debounced search, the live refreshes and which rows wait for approval.
 */
import { batch, signal } from '@preact/signals'
import type { AdminApi } from '../lib/api'
import { errorText } from '../lib/errors'
import { remedyFlags } from '../lib/remedy-flags'
import type { ComplaintSummary, ListFilters, LiveEvent } from '../lib/types'

/** How long typing pauses before the search is sent, in milliseconds. */
export const SEARCH_DEBOUNCE_MS = 300
/** Live events within this many milliseconds are handled with one refresh. */
const LIVE_COALESCE_MS = 150
const PAGE_SIZE = 25
/** Remedies waiting for approval are looked up this many at a time for the rows' badges. */

/** The filters typed as text, which wait for a pause before they apply. */
export type TypedFilter = 'q' | 'page'

export type InboxStore = ReturnType<typeof createInboxStore>

const stores = new WeakMap<AdminApi, InboxStore>()

/** The inbox of this client (one per signed-in token). */
export function inboxStore(client: AdminApi, initial: ListFilters = {}): InboxStore {
  let store = stores.get(client)
  if (!store) {
    store = createInboxStore(client, initial)
    stores.set(client, store)
  }
  return store
}

export function createInboxStore(client: AdminApi, initial: ListFilters = {}) {
  const filters = signal<ListFilters>(initial)
  /** What is typed in the text filters, applied after a pause. */
  const typed = signal<Record<TypedFilter, string>>({
    q: initial.q ?? '',
    page: initial.page ?? '',
  })
  const items = signal<ComplaintSummary[]>([])
  const nextCursor = signal<string | null>(null)
  const state = signal<'idle' | 'loading' | 'ready' | 'error'>('idle')
  const error = signal<string | null>(null)
  const more = signal<'idle' | 'loading' | 'error'>('idle')
  const moreError = signal<string | null>(null)
  const selected = signal<string | null>(null)
  /** Rows that arrived live, highlighted until the next load. */
  const fresh = signal<ReadonlySet<string>>(new Set())
  /** How many arrived live in the last refresh, and a count of such refreshes (to say it again). */
  const arrived = signal({ count: 0, times: 0 })

  /** Called whenever the list is loaded again or brought up to date: the alerts follow it. */
  const reloadListeners = new Set<() => void>()
  const reloaded = () => {
    for (const listener of reloadListeners) listener()
  }

  let sequence = 0
  let typingTimer: ReturnType<typeof setTimeout> | undefined
  let liveTimer: ReturnType<typeof setTimeout> | undefined
  const queued = { top: false, rows: new Set<string>() }

  async function load(): Promise<void> {
    const mine = ++sequence
    reloaded()
    state.value = 'loading'
    error.value = null
    more.value = 'idle'
    moreError.value = null
    try {
      const page = await client.list(filters.value, null, PAGE_SIZE)
      if (mine !== sequence) return
      batch(() => {
        items.value = page.items
        nextCursor.value = page.nextCursor
        fresh.value = new Set()
        state.value = 'ready'
        if (selected.value && !page.items.some((item) => item.id === selected.value))
          selected.value = null
      })
    } catch (caught) {
      if (mine !== sequence) return
      error.value = errorText(caught)
      state.value = 'error'
    }
  }

  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value
    if (!cursor || more.value === 'loading') return
    const mine = sequence
    more.value = 'loading'
    moreError.value = null
    try {
      const page = await client.list(filters.value, cursor, PAGE_SIZE)
      if (mine !== sequence) return
      const known = new Set(items.value.map((item) => item.id))
      batch(() => {
        items.value = [...items.value, ...page.items.filter((item) => !known.has(item.id))]
        nextCursor.value = page.nextCursor
        more.value = 'idle'
      })
    } catch (caught) {
      if (mine !== sequence) return
      moreError.value = errorText(caught)
      more.value = 'error'
    }
  }

  function setFilter<K extends keyof ListFilters>(key: K, value: ListFilters[K]): void {
    const next = { ...filters.value }
    if (value === undefined || value === '') delete next[key]
    else next[key] = value
    filters.value = next
    void load()
  }

  /** Type into a text filter: it applies once typing pauses. */
  function type(key: TypedFilter, text: string): void {
    typed.value = { ...typed.value, [key]: text }
    clearTimeout(typingTimer)
    typingTimer = setTimeout(() => {
      const now = typed.value
      const trimmed = { q: now.q.trim(), page: now.page.trim() }
      if ((filters.value.q ?? '') === trimmed.q && (filters.value.page ?? '') === trimmed.page)
        return
      const next = { ...filters.value }
      for (const name of ['q', 'page'] as const) {
        if (trimmed[name]) next[name] = trimmed[name]
        else delete next[name]
      }
      filters.value = next
      void load()
    }, SEARCH_DEBOUNCE_MS)
  }

  /** Show the list with exactly these filters (an alert's affected complaints, whatever was chosen before). */
  function replaceFilters(next: ListFilters): void {
    clearTimeout(typingTimer)
    batch(() => {
      typed.value = { q: next.q ?? '', page: next.page ?? '' }
      filters.value = next
    })
    void load()
  }

  function clear(): void {
    clearTimeout(typingTimer)
    batch(() => {
      typed.value = { q: '', page: '' }
      filters.value = {}
    })
    void load()
  }

  /** Add the newest complaints matching the filters at the top, and update those shown. */
  async function refreshTop(): Promise<void> {
    const mine = sequence
    const page = await client.list(filters.value, null, PAGE_SIZE)
    if (mine !== sequence || state.value !== 'ready') return
    const shown = new Map(items.value.map((item) => [item.id, item]))
    const top = items.value[0]?.receivedAt
    const added = page.items.filter(
      (item) => !shown.has(item.id) && (top === undefined || item.receivedAt >= top),
    )
    const updated = new Map(page.items.map((item) => [item.id, item]))
    batch(() => {
      // Later pages stay where the cursor says: it points at a row, not an offset.
      if (items.value.length === 0) nextCursor.value = page.nextCursor
      items.value = [...added, ...items.value.map((item) => updated.get(item.id) ?? item)]
      if (added.length > 0) {
        fresh.value = new Set([...fresh.value, ...added.map((item) => item.id)])
        arrived.value = { count: added.length, times: arrived.value.times + 1 }
      }
    })
  }

  /** Update one row from the complaint's detail (there is no single-row endpoint). */
  async function refreshRow(id: string): Promise<void> {
    const detail = await client.complaint(id)
    items.value = items.value.map((item) =>
      item.id === id
        ? {
            ...item,
            status: detail.status,
            assignee: detail.assignee,
            rootCause: detail.rootCause,
            suspicion: detail.suspicion,
            firstReplyAt: detail.firstReplyAt,
            guarantee: detail.guarantee?.state ?? null,
            ...remedyFlags(detail.recoveries),
            updatedAt: detail.updatedAt,
          }
        : item,
    )
  }

  async function flushLive(): Promise<void> {
    const { top } = queued
    const rows = [...queued.rows]
    queued.top = false
    queued.rows.clear()
    const work: Promise<void>[] = []
    if (top) work.push(refreshTop())
    for (const id of rows) work.push(refreshRow(id))
    // A failed refresh shows stale rows until the next event or load; nothing to say.
    await Promise.allSettled(work)
  }

  /** An event of the live stream: a new complaint refreshes the top, others their row. */
  function onEvent(event: LiveEvent): void {
    if (event.type === 'received') queued.top = true
    else if (items.value.some((item) => item.id === event.complaintId))
      queued.rows.add(event.complaintId)
    clearTimeout(liveTimer)
    liveTimer = setTimeout(() => void flushLive(), LIVE_COALESCE_MS)
  }

  /** Move the selection by `step` rows (from nothing selected: the first); returns the id. */
  function move(step: number): string | null {
    const list = items.value
    if (list.length === 0) return null
    const at = list.findIndex((item) => item.id === selected.value)
    const index = at === -1 ? 0 : Math.min(list.length - 1, Math.max(0, at + step))
    selected.value = list[index]!.id
    return selected.value
  }

  return {
    filters,
    typed,
    items,
    nextCursor,
    state,
    error,
    more,
    moreError,
    selected,
    fresh,
    arrived,
    load,
    /** Bring the loaded rows up to date without losing the pages shown (after being away). */
    refresh: () => {
      reloaded()
      return refreshTop().catch(() => {})
    },
    /** Call `listener` whenever the list loads or is brought up to date; returns the unsubscribe. */
    onReload(listener: () => void): () => void {
      reloadListeners.add(listener)
      return () => {
        reloadListeners.delete(listener)
      }
    },
    loadMore,
    setFilter,
    replaceFilters,
    type,
    clear,
    onEvent,
    move,
  }
}
