/**
 * @module The early-warning banner at the top of the inbox: one line per
 * alert nobody put away, saying what crossed its rule and whether it is still
 * going on, with a link to the complaints it counted, a link to publish a
 * known-issue notice about it (Settings, with the notice drafted from the
 * alert) and a way to put it away. Also the words for an alert that the
 * filter bar's chip uses.
 */
import { fill, locale, messages, plural } from '../i18n'
import { filterQuery } from '../lib/api'
import { categoryLabel } from '../lib/site'
import { can, navigate, type Route, routeHref } from '../lib/state'
import type { AlertView, FailureType, SiteView } from '../lib/types'
import type { AlertStore } from './_alert-store'

const number = (value: number) =>
  new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }).format(value)

/** A time of today as a time alone ("10:02"), of another day with its date. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso)
  const today = date.toDateString() === now.toDateString()
  return new Intl.DateTimeFormat(
    locale.value,
    today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(date)
}

/** What the alert counted: a category by its label, a failure type by its word, or all complaints. */
export function alertGroup(alert: AlertView, site: SiteView | null): string {
  if (alert.group === null) return messages.value.alerts.all
  // The server counts the categories the site does not list as one group, `*`.
  if (alert.group === '*') return messages.value.alerts.otherCategories
  if (alert.rule.by === 'failureType') {
    const words = messages.value.inbox.failureTypes as Record<string, string>
    return words[alert.group as FailureType] ?? alert.group
  }
  return categoryLabel(site, alert.group)
}

/** What crossed the rule: "6 complaints about Delivery within 60 minutes". */
export function alertText(alert: AlertView, site: SiteView | null): string {
  const m = messages.value.alerts
  const scope =
    alert.group === null
      ? m.scope.site
      : fill(m.scope[alert.rule.by === 'failureType' ? 'failureType' : 'category'], {
          group: alertGroup(alert, site),
        })
  const values = { count: number(alert.count), scope }
  if (alert.rule.kind === 'burst') {
    const window = new Intl.NumberFormat(locale.value, {
      style: 'unit',
      unit: 'minute',
      unitDisplay: 'long',
    }).format(alert.rule.withinMinutes)
    return plural(m.burst, alert.count, { ...values, window })
  }
  const baseline = alert.baseline ?? 0
  // After quiet days the average is 0, and no multiple of it means anything.
  if (baseline <= 0) return plural(m.spikeFromNone, alert.count, values)
  return plural(m.spike, alert.count, {
    ...values,
    ratio: number(alert.count / baseline),
    baseline: number(baseline),
  })
}

/** The filter bar's chip for a list filtered by this alert: "Early warning: Delivery, from 10:02". */
export const alertChip = (alert: AlertView, site: SiteView | null): string =>
  fill(messages.value.alerts.chip, {
    group: alertGroup(alert, site),
    time: formatWhen(alert.windowFrom),
  })

/** A click that follows the link here; one opening a new tab or window reads the address itself. */
const plainClick = (event: MouseEvent) =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey

/** Where focus goes once a line is gone: the next line's Dismiss, else the one before, else the inbox's heading. */
function focusAfter(index: number) {
  requestAnimationFrame(() => {
    const buttons = document.querySelectorAll<HTMLElement>('.alerts .alert-dismiss')
    const target = buttons[index] ?? buttons[index - 1] ?? document.getElementById('inbox-title')
    target?.focus()
  })
}

export function Alerts({
  store,
  site,
  onShow,
}: {
  store: AlertStore
  site: SiteView | null
  /** Show the complaints the alert counted. */
  onShow: (alertId: string) => void
}) {
  const m = messages.value.alerts
  const items = store.items.value ?? []
  return (
    <>
      <ArrivedAlerts store={store} site={site} />
      {items.length > 0 && (
        // A labelled region, not an alert: the lines are there when the inbox opens, and
        // an assertive announcement of each would interrupt whatever is being read.
        <section class="alerts" aria-labelledby="alerts-title">
          <p id="alerts-title" class="alerts-title">
            {m.title}
          </p>
          <ul>
            {items.map((alert, index) => (
              <AlertLine
                key={alert.id}
                alert={alert}
                site={site}
                store={store}
                onShow={onShow}
                onDismissed={() => focusAfter(index)}
              />
            ))}
          </ul>
        </section>
      )}
    </>
  )
}

function AlertLine({
  alert,
  site,
  store,
  onShow,
  onDismissed,
}: {
  alert: AlertView
  site: SiteView | null
  store: AlertStore
  onShow: (alertId: string) => void
  onDismissed: () => void
}) {
  const m = messages.value.alerts
  const whatId = `alert-${alert.id}-what`
  const error = store.failures.value[alert.id]
  const noticeRoute: Route = { name: 'settings', noticeFrom: alert.id }
  return (
    <li class={alert.endedAt ? 'alert ended' : 'alert'} data-id={alert.id}>
      <p class="alert-text">
        <strong id={whatId}>{alertText(alert, site)}</strong>{' '}
        <span class="alert-when">
          {alert.endedAt
            ? fill(m.ended, { time: formatWhen(alert.endedAt) })
            : fill(m.ongoing, { time: formatWhen(alert.windowFrom) })}
        </span>
      </p>
      <div class="alert-actions">
        <a
          href={`#/inbox?${filterQuery({ alert: alert.id })}`}
          aria-describedby={whatId}
          onClick={(event) => {
            // A new tab or window reads the filter from the address itself.
            if (!plainClick(event)) return
            event.preventDefault()
            onShow(alert.id)
          }}
        >
          {m.affected}
        </a>
        {/* Telling customers before they complain (preventive recovery): a link, since it only
            goes to Settings, whose chunk loads there and drafts the notice from the alert.
            Notices and alerts are a manager's: an agent or a viewer is not offered them. */}
        {can('manage') && (
          <a
            href={routeHref(noticeRoute)}
            aria-describedby={whatId}
            onClick={(event) => {
              if (!plainClick(event)) return
              event.preventDefault()
              navigate(noticeRoute)
            }}
          >
            {m.publish}
          </a>
        )}
        {can('manage') && (
          <button
            type="button"
            class="link alert-dismiss"
            aria-describedby={whatId}
            disabled={store.dismissing.value.has(alert.id)}
            onClick={async () => {
              if (await store.dismiss(alert.id)) onDismissed()
            }}
          >
            {m.dismiss}
          </button>
        )}
      </div>
      <p class="error" role="status">
        {error}
      </p>
    </li>
  )
}

/** Says politely which alerts arrived while the inbox is open; the ones already there stay quiet. */
function ArrivedAlerts({ store, site }: { store: AlertStore; site: SiteView | null }) {
  const m = messages.value.alerts
  const { alerts, times } = store.arrived.value
  const text =
    alerts.length === 0
      ? ''
      : alerts.length === 1
        ? fill(m.arrivedOne, { what: alertText(alerts[0]!, site) })
        : fill(m.arrivedMany, { n: alerts.length })
  // A repeated message must be spoken again: alternate a trailing no-break space.
  return (
    <p class="visually-hidden alerts-arrived" aria-live="polite">
      {text && text + (times % 2 ? '\u00a0' : '')}
    </p>
  )
}
