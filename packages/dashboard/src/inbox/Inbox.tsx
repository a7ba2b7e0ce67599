/**
 * @module The inbox: complaints newest first, filtered and searched, kept up
 * to date by the live stream, moved through with j/k and opened with Enter,
 * under the early warnings nobody put away. With a complaint open it sits
 * beside it (on a phone, the complaint alone, with a way back).
 */
// First: the complaint view's styles (imported with it) follow the inbox's in the cascade.
import './inbox.css'
import { FAILURE_TYPES, SEVERITIES, STATUSES } from '@redress/protocol'
import type { RefObject } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { ComplaintView } from '../complaint/ComplaintView'
import { fill, formatDateTime, messages } from '../i18n'
import { filterQuery } from '../lib/api'
import { liveState, useLive } from '../lib/live'
import { categoryLabel, siteOf } from '../lib/site'
import { api, me, navigate } from '../lib/state'
import type { ComplaintSummary, ListFilters, SiteView } from '../lib/types'
import { alertStore } from './_alert-store'
import { type InboxStore, inboxStore } from './_inbox-store'
import { Alerts, alertChip } from './Alerts'
import { Filters } from './Filters'

/**
 * The filters a `#/inbox?status=received&q=mug` link names; unknown values
 * are left out, and so are `mine` and `awaitingMe` unless `person` (a token
 * has no "me": a person's bookmark opened with one shows everything).
 */
export function filtersFromHash(hash: string, person = true): ListFilters {
  const query = new URLSearchParams(hash.split('?')[1] ?? '')
  const filters: ListFilters = {}
  const pick = <T extends string>(name: string, allowed: readonly T[]) => {
    const text = query.get(name)
    return text && (allowed as readonly string[]).includes(text) ? (text as T) : undefined
  }
  const bool = (name: string) =>
    query.get(name) === 'true' ? true : query.get(name) === 'false' ? false : undefined
  const text = (name: string) => query.get(name)?.trim().slice(0, 200) || undefined
  const found: ListFilters = {
    status: pick('status', STATUSES),
    category: text('category'),
    failureType: pick('failureType', FAILURE_TYPES),
    severity: pick('severity', SEVERITIES),
    page: text('page'),
    hasRemedy: bool('hasRemedy'),
    pending: query.get('pending') === 'true' || undefined,
    suspected: query.get('suspected') === 'true' || undefined,
    unassigned: query.get('unassigned') === 'true' || undefined,
    mine: (person && query.get('mine') === 'true') || undefined,
    awaitingMe: (person && query.get('awaitingMe') === 'true') || undefined,
    q: text('q'),
    alert: text('alert'),
  }
  for (const [key, value] of Object.entries(found)) {
    if (value !== undefined) (filters as Record<string, unknown>)[key] = value
  }
  return filters
}

const rowId = (id: string) => `complaint-row-${id}`

/** Whether a key press belongs to a field being typed in, so shortcuts leave it alone. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  const element = target as HTMLElement
  return (
    element.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName) ||
    element.closest('[contenteditable=""], [contenteditable="true"]') !== null
  )
}

export function Inbox({ openId = null }: { openId?: string | null }) {
  const m = messages.value.inbox
  const client = api.value!
  const store = inboxStore(
    client,
    typeof location === 'undefined' ? {} : filtersFromHash(location.hash, me.value !== null),
  )
  const alerts = alertStore(client)
  const site = siteOf(client).value
  const list = useRef<HTMLDivElement>(null)
  const search = useRef<HTMLInputElement>(null)

  // Before the effect below loads the list, so that the first load asks for the alerts too.
  useEffect(() => store.onReload(() => void alerts.check()), [store, alerts])

  useEffect(() => {
    // Back from another view: the stream was closed meanwhile, so catch up.
    if (store.state.peek() === 'ready') void store.refresh()
    else if (store.state.peek() !== 'loading') void store.load()
  }, [store])

  // The filters in the address, so a filtered inbox can be bookmarked or shared.
  const filters = store.filters.value
  useEffect(() => {
    if (openId || typeof history === 'undefined') return
    const query = filterQuery(filters).toString()
    const hash = `#/inbox${query ? `?${query}` : ''}`
    if (location.hash !== hash) history.replaceState(history.state, '', hash)
  }, [filters, openId])

  useLive((event) => {
    store.onEvent(event)
    if (event.type === 'received') alerts.afterComplaint()
  })

  // A list filtered by an alert this session has not seen (a bookmark) names it once found.
  const filterAlert = filters.alert
  useEffect(() => {
    if (filterAlert) alerts.lookUp(filterAlert)
  }, [alerts, filterAlert])
  const shownAlert = filterAlert ? alerts.known.value.get(filterAlert) : undefined
  const alertLabel = filterAlert
    ? shownAlert
      ? alertChip(shownAlert, site)
      : messages.value.alerts.chipUnknown
    : null

  // An opened complaint is the selected row.
  useEffect(() => {
    if (openId) store.selected.value = openId
  }, [openId])

  const open = (id: string) => navigate({ name: 'complaint', id })

  const focusRow = (id: string | null) => {
    if (!id) return
    const row = document.getElementById(rowId(id))
    row?.focus()
    row?.scrollIntoView?.({ block: 'nearest' })
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
      if (isTyping(event.target)) return
      const inList = event.target instanceof Node && list.current?.contains(event.target)
      const idle = event.target === document.body || event.target === document.documentElement
      if (event.key === 'j' || (inList && event.key === 'ArrowDown')) {
        event.preventDefault()
        focusRow(store.move(1))
      } else if (event.key === 'k' || (inList && event.key === 'ArrowUp')) {
        event.preventDefault()
        focusRow(store.move(-1))
      } else if (inList && (event.key === 'Home' || event.key === 'End')) {
        event.preventDefault()
        const items = store.items.peek()
        const edge = event.key === 'Home' ? items[0] : items[items.length - 1]
        if (edge) {
          store.selected.value = edge.id
          focusRow(edge.id)
        }
      } else if (event.key === 'Enter' && idle) {
        const id = store.selected.peek()
        if (id) {
          event.preventDefault()
          open(id)
        }
      } else if (event.key === '/') {
        event.preventDefault()
        search.current?.focus()
      } else if (event.key === 'Escape' && openId) {
        event.preventDefault()
        navigate({ name: 'inbox' })
        requestAnimationFrame(() => focusRow(store.selected.peek()))
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [store, openId])

  return (
    <div class={openId ? 'inbox-view has-detail' : 'inbox-view'}>
      <section class="inbox-list" aria-labelledby="inbox-title">
        <div class="inbox-head">
          {/* Focusable for the focus to land on when the last early warning is put away. */}
          <h1 id="inbox-title" tabIndex={-1}>
            {m.title}
          </h1>
          <LiveBadge />
        </div>
        <Alerts
          store={alerts}
          site={site}
          onShow={(alertId) => {
            store.replaceFilters({ alert: alertId })
            if (openId) navigate({ name: 'inbox' })
          }}
        />
        <Filters store={store} site={site} searchRef={search} alertLabel={alertLabel} />
        <p class="hint keys">{m.keyboard}</p>
        <Arrived store={store} />
        <Rows store={store} site={site} listRef={list} onOpen={open} openId={openId} />
      </section>
      {openId && (
        <section class="inbox-detail">
          <ComplaintView id={openId} />
        </section>
      )}
    </div>
  )
}

function LiveBadge() {
  const common = messages.value.common
  const state = liveState.value
  return (
    <span class={`live-badge live-${state}`} role="status">
      {state === 'live'
        ? common.live
        : state === 'offline'
          ? common.offline
          : messages.value.inbox.connecting}
    </span>
  )
}

/** Says politely how many complaints just arrived. */
function Arrived({ store }: { store: InboxStore }) {
  const m = messages.value.inbox
  const { count, times } = store.arrived.value
  const text = count === 0 ? '' : count === 1 ? m.arrivedOne : fill(m.arrivedMany, { n: count })
  // A repeated message must be spoken again: alternate a trailing no-break space.
  return (
    <p class="visually-hidden" aria-live="polite">
      {text && text + (times % 2 ? '\u00a0' : '')}
    </p>
  )
}

function Rows({
  store,
  site,
  listRef,
  onOpen,
  openId,
}: {
  store: InboxStore
  site: SiteView | null
  listRef: RefObject<HTMLDivElement | null>
  onOpen: (id: string) => void
  openId: string | null
}) {
  const m = messages.value.inbox
  const common = messages.value.common
  const items = store.items.value
  const state = store.state.value
  const selected = store.selected.value
  const filtered = Object.keys(store.filters.value).length > 0

  if (state === 'error' && items.length === 0) {
    return (
      <div class="list-state">
        <p class="error" role="alert">
          {store.error.value}
        </p>
        <button type="button" onClick={() => void store.load()}>
          {common.retry}
        </button>
      </div>
    )
  }
  if ((state === 'loading' || state === 'idle') && items.length === 0) {
    return (
      <p class="list-state" role="status">
        {common.loading}
      </p>
    )
  }
  if (items.length === 0) {
    return <p class="list-state">{filtered ? m.noMatch : m.empty}</p>
  }
  // Tab reaches the list at the selected row, or the first.
  const focusable = items.some((item) => item.id === selected) ? selected : items[0]!.id
  return (
    <>
      {state === 'error' && (
        <p class="error" role="alert">
          {store.error.value}{' '}
          <button type="button" class="link" onClick={() => void store.load()}>
            {common.retry}
          </button>
        </p>
      )}
      <div
        ref={listRef}
        class="rows"
        role="listbox"
        aria-label={m.listLabel}
        aria-busy={state === 'loading'}
      >
        {items.map((item) => (
          <Row
            key={item.id}
            item={item}
            site={site}
            selected={item.id === selected}
            open={item.id === openId}
            focusable={item.id === focusable}
            fresh={store.fresh.value.has(item.id)}
            onSelect={() => {
              store.selected.value = item.id
            }}
            onOpen={() => {
              store.selected.value = item.id
              onOpen(item.id)
            }}
          />
        ))}
      </div>
      <div class="more">
        {store.nextCursor.value ? (
          <button
            type="button"
            class="secondary"
            disabled={store.more.value === 'loading'}
            onClick={() => void store.loadMore()}
          >
            {store.more.value === 'loading' ? common.loading : m.loadMore}
          </button>
        ) : (
          <p class="hint">{fill(m.count, { n: items.length })}</p>
        )}
        <p class="error" role="alert">
          {store.moreError.value}
        </p>
      </div>
    </>
  )
}

function Row({
  item,
  site,
  selected,
  open,
  focusable,
  fresh,
  onSelect,
  onOpen,
}: {
  item: ComplaintSummary
  site: SiteView | null
  selected: boolean
  open: boolean
  focusable: boolean
  fresh: boolean
  onSelect: () => void
  onOpen: () => void
}) {
  const m = messages.value.inbox
  const classes = ['row', `severity-${item.severity}`]
  if (fresh) classes.push('fresh')
  if (open) classes.push('open')
  return (
    <div
      id={rowId(item.id)}
      class={classes.join(' ')}
      role="option"
      aria-selected={selected}
      aria-current={open ? 'true' : undefined}
      tabIndex={focusable ? 0 : -1}
      data-id={item.id}
      onClick={onOpen}
      onFocus={onSelect}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault()
          onOpen()
        }
      }}
    >
      <div class="row-top">
        <span class="reference">{item.reference}</span>
        <span class={`chip status-${item.status}`}>{m.statuses[item.status]}</span>
        <span class={`chip sev sev-${item.severity}`}>{m.severities[item.severity]}</span>
        {item.pendingApproval && <span class="badge badge-pending">{m.badges.pending}</span>}
        {item.suspicion && (
          <span class="badge badge-bot" title={m.badges[item.suspicion]}>
            {m.badges.bot}
          </span>
        )}
        {item.guarantee === 'broken' && (
          <span class="badge badge-guarantee">{m.badges.guaranteeBroken}</span>
        )}
        {item.verified ? (
          <span class="badge badge-verified">{m.badges.verified}</span>
        ) : (
          <span class="badge badge-unverified">{m.badges.unverified}</span>
        )}
        <time class="received" dateTime={item.receivedAt}>
          {formatDateTime(item.receivedAt)}
        </time>
      </div>
      {/* Customer text: always a text node, never markup. */}
      <p class="excerpt">{item.excerpt}</p>
      <div class="row-meta">
        <span>{categoryLabel(site, item.category)}</span>
        <span class={`type type-${item.failureType}`}>{m.failureTypes[item.failureType]}</span>
        <span>{item.assignee ? fill(m.ownedBy, { name: item.assignee }) : m.unassigned}</span>
      </div>
    </div>
  )
}
