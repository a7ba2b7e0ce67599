/**
 * @module Playwright's global setup, run once the servers are up. The
 * widget's test pages are a shop on http://127.0.0.1:4173 that loads the
 * widget from the collector on http://127.0.0.1:4174; the collector takes
 * complaints only from the origins a site lists. So, as the site's owner
 * would, list the pages' origin on the demo site through the admin API,
 * rather than count on the demo's own allowance for any local port.
 */
import type { FullConfig } from '@playwright/test'

const collector = 'http://127.0.0.1:4174'
const headers = { authorization: 'Bearer rdk_e2e', 'content-type': 'application/json' }

export default async function setup(config: FullConfig) {
  const pages = new URL(String(config.projects[0]!.use.baseURL)).origin
  const site = await fetch(`${collector}/v1/admin/site`, { headers })
  if (!site.ok) throw new Error(`GET /v1/admin/site: ${site.status} ${await site.text()}`)
  const { origins } = (await site.json()) as { origins: string[] }
  if (origins.includes(pages)) return
  const patched = await fetch(`${collector}/v1/admin/site`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ origins: [...origins, pages] }),
  })
  if (!patched.ok)
    throw new Error(`PATCH /v1/admin/site: ${patched.status} ${await patched.text()}`)
}
