/**
 * @module The inbox's filters: status, category (the site's, with labels),
 * failure type, severity, page, remedy given, waiting for approval, suspected
 * bots, and the search in descriptions, which applies once typing pauses.
 */
import { FAILURE_TYPES, SEVERITIES, STATUSES } from '@redress/protocol'
import type { Ref } from 'preact'
import { messages } from '../i18n'
import type { ListFilters, SiteView } from '../types'
import { categoryLabel } from './_common'
import type { InboxStore } from './_inbox-store'

const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value

export function Filters({
  store,
  site,
  searchRef,
}: {
  store: InboxStore
  site: SiteView | null
  searchRef?: Ref<HTMLInputElement>
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
  const flag = (key: 'pending' | 'suspected') => (event: Event) =>
    store.setFilter(key, (event.target as HTMLInputElement).checked || undefined)
  // The site's categories, plus one a filter names that the site no longer lists.
  const categories = (site?.categories ?? []).map((category) => category.id)
  if (filters.category && !categories.includes(filters.category)) categories.push(filters.category)

  return (
    <search>
      <form class="filters" aria-label={m.filters} onSubmit={(event) => event.preventDefault()}>
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
        <label class="filter">
          <span>{m.status}</span>
          <select name="status" value={filters.status ?? ''} onChange={choose('status')}>
            <option value="">{m.any}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {m.statuses[status]}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{m.category}</span>
          <select name="category" value={filters.category ?? ''} onChange={choose('category')}>
            <option value="">{m.any}</option>
            {categories.map((id) => (
              <option key={id} value={id}>
                {categoryLabel(site, id)}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{m.failureType}</span>
          <select
            name="failureType"
            value={filters.failureType ?? ''}
            onChange={choose('failureType')}
          >
            <option value="">{m.any}</option>
            {FAILURE_TYPES.map((type) => (
              <option key={type} value={type}>
                {m.failureTypes[type]}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{m.severity}</span>
          <select name="severity" value={filters.severity ?? ''} onChange={choose('severity')}>
            <option value="">{m.any}</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {m.severities[severity]}
              </option>
            ))}
          </select>
        </label>
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
        <label class="filter filter-check">
          <input
            type="checkbox"
            name="pending"
            checked={filters.pending === true}
            onChange={flag('pending')}
          />
          <span>{m.pending}</span>
        </label>
        <label class="filter filter-check">
          <input
            type="checkbox"
            name="suspected"
            checked={filters.suspected === true}
            onChange={flag('suspected')}
          />
          <span>{m.suspected}</span>
        </label>
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
