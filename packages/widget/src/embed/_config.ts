/**
 * @module Asking the endpoint for the site's settings (`GET /v1/sites/{key}`):
 * started by the embed together with the app chunk's download, so the form
 * does not wait for one after the other.
 */

/**
 * The site's public settings as JSON, or nothing when the endpoint has no such
 * route, refuses, or cannot be reached: the widget then keeps its built-in
 * categories. Never rejects.
 *
 * @example
 * const config = siteConfig('https://feedback.example', 'pk_demo')
 */
export const siteConfig = (endpoint: string, site: string): Promise<unknown> =>
  fetch(`${endpoint.replace(/\/+$/, '')}/v1/sites/${encodeURIComponent(site)}`, {
    credentials: 'omit',
  })
    .then((response) => response.ok && response.json())
    .catch(() => {})
