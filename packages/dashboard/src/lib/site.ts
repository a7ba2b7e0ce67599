/**
 * @module The site of the signed-in token, read once per API client, and how
 * its categories read: the site's labels (in the current language first),
 * else the built-in names.
 */
import { type Signal, signal } from '@preact/signals'
import { locale, messages } from '../i18n'
import type { AdminApi } from './api'
import type { FailureType, SiteView } from './types'

const sites = new WeakMap<AdminApi, Signal<SiteView | null>>()

/**
 * The site of this token (`GET /v1/admin/site`), `null` until it has loaded;
 * asked once per client, and again after a failure.
 */
export function siteOf(client: AdminApi): Signal<SiteView | null> {
  let site = sites.get(client)
  if (!site) {
    const created = signal<SiteView | null>(null)
    site = created
    sites.set(client, created)
    client.site().then(
      (view) => {
        created.value = view
      },
      () => {
        // Labels fall back to the built-in names; the next view asks again.
        sites.delete(client)
      },
    )
  }
  return site
}

/**
 * A category's name: the site's label in the current language, else its one
 * label, else the built-in name, else its id (as the widget names it).
 */
export function categoryLabel(site: SiteView | null, id: string): string {
  const category = site?.categories.find((entry) => entry.id === id)
  const own = category?.labels?.[locale.value] || category?.label
  if (own) return own
  const builtIn = messages.value.inbox.categories as Record<string, string>
  return builtIn[id] ?? id
}

/** A category's failure type by the site's categories; unlisted ones count as process failures. */
export function failureTypeOf(site: SiteView | null, id: string): FailureType {
  return site?.categories.find((category) => category.id === id)?.failureType ?? 'process'
}
