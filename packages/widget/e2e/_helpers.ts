// Shared by the widget's browser specs. They all run against one demo server
// whose stored complaints are global, so each test sends a description of its
// own and looks only for that.
import { type APIRequestContext, expect, type Page } from '@playwright/test'

export interface Stored {
  idempotencyKey: string
  complaint: {
    category: string
    severity: string
    description: string
    orderRef?: string
    signals?: { honeypot?: string; fillMs?: number }
  }
}

/** The stored complaints whose description is `description`. */
export const stored = async (request: APIRequestContext, description: string) => {
  const all: Stored[] = await (await request.get('/__demo/complaints')).json()
  return all.filter((entry) => entry.complaint.description === description)
}

/** A description no other test sends. */
export const unique = (what: string) =>
  `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

export const launcher = (page: Page, name = 'Report a problem') =>
  page.getByRole('button', { name, exact: true })

/** The widget's dialog, whatever its heading says. */
export const dialog = (page: Page) => page.locator('redress-widget dialog')

/** Fill the form the way a pointer user does, and send it. */
export const report = async (
  page: Page,
  description: string,
  { category = 'order', severity = 'A small annoyance' } = {},
) => {
  const form = dialog(page)
  await form.getByLabel('What went wrong?').selectOption(category)
  await form.getByLabel(severity).check()
  await form.getByLabel('What happened?').fill(description)
  await form.getByRole('button', { name: 'Send' }).click()
}

export const APOLOGY = "We're sorry this happened. We have your report and we're on it."
export const REFERENCE = /^Your reference: R-[0-9A-Z]{5}$/

/** The server stored exactly one complaint with this description: the one returned. */
export const storedOnce = async (request: APIRequestContext, description: string) => {
  await expect.poll(async () => (await stored(request, description)).length).toBe(1)
  return (await stored(request, description))[0]!
}
