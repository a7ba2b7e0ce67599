/**
 * @module The inbox's filters: status, category (the site's, with labels),
 * failure type, severity, page, remedy given, waiting for approval, suspected
 * bots, nobody's; for a person signed in, theirs and those waiting for their
 * approval; and the search in descriptions, which applies once typing pauses;
 * an early warning's affected complaints show as a chip that removes the filter.
 */
import { FAILURE_TYPES, SEVERITIES, STATUSES } from '@redress/protocol'
import type { Ref } from 'preact'
import { messages } from '../i18n'
import { categoryLabel } from '../lib/site'
import { can, me } from '../lib/state'
import type { ListFilters, SiteView } from '../lib/types'
import type { InboxStore } from './_inbox-store'

const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value

/** The filters that name the person signed in: a token has no "me". */
export type PersonFilter = 'mine' | 'awaitingMe'

export function Filters({
  store,
  site,
  searchRef,
  alertLabel = null,
}: {
  store: InboxStore
  site: SiteView | null
  searchRef?: Ref<HTMLInputElement>
  /** The chip's words while the list shows an alert's complaints. */
  alertLabel?: string | null
}) {
  const m = messages.value.inbox
  const filters = store.filters.value
  const typed = store.typed.value
  const active =
    Object.keys(filters).length > 0 || typed.q.trim() !== '' || typed.page.trim() !== ''
  const choose =
    <K extends keyof ListFilters>(key: K) =>
    (event: Event) =>
      store.setFilter(key, (value(event) || undefined) as ListFilters[K])
  /** A filter by one of a list of values, or by none ("Any"). */
  const choice = (
    key: 'status' | 'category' | 'failureType' | 'severity',
    label: string,
    options: ReadonlyArray<readonly [string, string]>,
  ) => (
    <label class="filter">
      <span>{label}</span>
      <select name={key} value={filters[key] ?? ''} onChange={choose(key)}>
        <option value="">{m.any}</option>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
  /** A filter that is on or off. */
  const check = (key: PersonFilter | 'pending' | 'suspected' | 'unassigned', label: string) => (
    <label class="filter filter-check">
      <input
        type="checkbox"
        name={key}
        checked={filters[key] === true}
        onChange={(event) =>
          store.setFilter(key, (event.target as HTMLInputElement).checked || undefined)
        }
      />
      <span>{label}</span>
    </label>
  )
  // The site's categories, plus one a filter names that the site no longer lists.
  const categories = (site?.categories ?? []).map((category) => category.id)
  if (filters.category && !categories.includes(filters.category)) categories.push(filters.category)

  return (
    <search>
      <form class="filters" aria-label={m.filters} onSubmit={(event) => event.preventDefault()}>
        {filters.alert && (
          <p class="filter-chip">
            <span class="chip chip-alert">{alertLabel}</span>
            <button
              type="button"
              class="link"
              onClick={(event) => {
                // The chip and this button go: focus stays in the filters, on the search.
                const form = (event.currentTarget as HTMLButtonElement).form
                ;(form?.elements.namedItem('q') as HTMLInputElement | null)?.focus()
                store.setFilter('alert', undefined)
              }}
            >
              <span aria-hidden="true">×</span>
              <span class="visually-hidden">
                {messages.value.alerts.removeFilter}: {alertLabel}
              </span>
            </button>
          </p>
        )}
        <label class="filter filter-search">
          <span>{m.search}</span>
          <input
            ref={searchRef}
            type="search"
            name="q"
            value={typed.q}
            maxLength={200}
            aria-keyshortcuts="/"
            onInput={(event) => store.type('q', value(event))}
          />
        </label>
        {choice(
          'status',
          m.status,
          STATUSES.map((status) => [status, m.statuses[status]]),
        )}
        {choice(
          'category',
          m.category,
          categories.map((id) => [id, categoryLabel(site, id)]),
        )}
        {choice(
          'failureType',
          m.failureType,
          FAILURE_TYPES.map((type) => [type, m.failureTypes[type]]),
        )}
        {choice(
          'severity',
          m.severity,
          SEVERITIES.map((severity) => [severity, m.severities[severity]]),
        )}
        <label class="filter">
          <span>{m.page}</span>
          <input
            type="text"
            name="page"
            value={typed.page}
            maxLength={200}
            placeholder={m.pagePlaceholder}
            onInput={(event) => store.type('page', value(event))}
          />
        </label>
        <label class="filter">
          <span>{m.hasRemedy}</span>
          <select
            name="hasRemedy"
            value={filters.hasRemedy === undefined ? '' : String(filters.hasRemedy)}
            onChange={(event) =>
              store.setFilter(
                'hasRemedy',
                value(event) === '' ? undefined : value(event) === 'true',
              )
            }
          >
            <option value="">{m.any}</option>
            <option value="true">{m.hasRemedyYes}</option>
            <option value="false">{m.hasRemedyNo}</option>
          </select>
        </label>
        {check('pending', m.pending)}
        {check('suspected', m.suspected)}
        {me.value && check('mine', m.mine)}
        {check('unassigned', m.unassignedOnly)}
        {/* Only someone who may approve has remedies waiting for them. */}
        {me.value && can('approve') && check('awaitingMe', m.awaitingMe)}
        <button
          type="button"
          class="secondary filter-clear"
          disabled={!active}
          onClick={store.clear}
        >
          {m.clear}
        </button>
      </form>
    </search>
  )
}
