// Shared by the widget's browser specs. The test pages (`/__fixtures/…`, on the
// SDK demo's server) load the widget from the collector, a server of another
// origin, as a shop's pages do; what it stored is read back through the admin
// API. All specs share one collector, so each test sends a description of its
// own and looks only for that.

import { type APIRequestContext, expect, type Page } from '@playwright/test'
import type { ComplaintDetail, ComplaintPage } from '@redress/protocol/admin'

/** The collector: the widget's files, the public API it sends to, the admin API. */
export const COLLECTOR = 'http://127.0.0.1:4174'
/** The demo site's admin token, set for the run in playwright.config.ts. */
export const ADMIN = { authorization: 'Bearer rdk_e2e' }

/** A complaint as the collector stored it, and the Idempotency-Key it arrived with. */
export interface Stored extends ComplaintDetail {
  idempotencyKey: string
}

const read = async <T>(request: APIRequestContext, path: string, params = {}): Promise<T> => {
  const response = await request.get(`${COLLECTOR}/v1/admin${path}`, { headers: ADMIN, params })
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as T
}

/** Everything the owner sees of one complaint: what was sent, remedies, follow-ups, timeline. */
export const complaint = async (request: APIRequestContext, id: string): Promise<Stored> => {
  const detail = await read<ComplaintDetail>(request, `/complaints/${encodeURIComponent(id)}`)
  // The key is kept on the timeline's first event, never in the customer's view.
  const received = detail.timeline.find((event) => event.type === 'received')
  return { ...detail, idempotencyKey: String(received?.data.idempotencyKey) }
}

/** The stored complaints whose description is `description`. */
export const stored = async (request: APIRequestContext, description: string) => {
  // The search is a substring match on the description; only exact ones count.
  const page = await read<ComplaintPage>(request, '/complaints', { q: description, limit: 100 })
  expect(page.nextCursor).toBeNull()
  const found = await Promise.all(page.items.map((item) => complaint(request, item.id)))
  return found.filter((entry) => entry.complaint.description === description)
}

/** The server stored exactly one complaint with this description: the one returned. */
export const storedOnce = async (request: APIRequestContext, description: string) => {
  await expect.poll(async () => (await stored(request, description)).length).toBe(1)
  return (await stored(request, description))[0]!
}

/** A description no other test sends. */
export const unique = (what: string) =>
  `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

export const launcher = (page: Page, name = 'Report a problem') =>
  page.getByRole('button', { name, exact: true })

/** The widget's dialog, whatever its heading says. */
export const dialog = (page: Page) => page.locator('redress-widget dialog')

/**
 * The seconds a person takes to write, passed on the page's clock: the
 * collector takes a form sent within 1.5 s of opening for a bot's and answers
 * it with the apology alone. Needs `page.clock.install()` before the page loads.
 */
export const takeTimeToWrite = (page: Page) => page.clock.fastForward('00:08')

/**
 * Fill the form the way a pointer user does, and send it; `asPerson` takes
 * the time to write first (see `takeTimeToWrite`).
 */
export const report = async (
  page: Page,
  description: string,
  { category = 'order', severity = 'A small annoyance', asPerson = false } = {},
) => {
  const form = dialog(page)
  await form.getByLabel('What went wrong?').selectOption(category)
  await form.getByLabel(severity).check()
  await form.getByLabel('What happened?').fill(description)
  if (asPerson) await takeTimeToWrite(page)
  await form.getByRole('button', { name: 'Send' }).click()
}

/** The widget's own words, shown the moment Send is pressed. */
export const APOLOGY = "We're sorry this happened. We have your report and we're on it."
export const REFERENCE = /^Your reference: R-[0-9A-Z]{5}$/

// The collector's default policy, as the customer reads it: the apology always;
// money only for a customer the shop's backend vouches for, else a person
// decides; a person within two hours for critical problems.
const SORRY = "We're sorry. That should not have happened, and we understand how frustrating it is."
const REVIEW = "A member of our team will review your case and get back to you about what we'll do."
export const REMEDY = {
  /** A minor problem, or a form sent as fast as a bot sends it: the apology and what happens next. */
  minor: `${SORRY} We've recorded what went wrong and passed it to the people who can fix it, so it does not happen again.`,
  /** A major problem nobody vouched for: the money waits for a person. */
  major: `${SORRY} ${REVIEW}`,
  /** A critical problem nobody vouched for: that, and a person who gets in touch. */
  critical: `${SORRY} ${REVIEW} A member of our team will contact you personally to put this right.`,
  /** The widget's line under a remedy that names when someone will be in touch. */
  within: 'We will contact you within 2 hours.',
}

/**
 * Make the page idle only when the test says so (`idle(page)`): the widget
 * loads its form at idle when a complaint waits, or with `data-preload="idle"`.
 */
export const holdIdle = (page: Page) =>
  page.addInitScript(() => {
    const waiting: IdleRequestCallback[] = []
    window.requestIdleCallback = (callback) => waiting.push(callback)
    Object.assign(window, {
      idleNow: () => {
        for (const callback of waiting.splice(0))
          callback({ didTimeout: false, timeRemaining: () => 50 })
      },
    })
  })
export const idle = (page: Page) =>
  page.evaluate(() => (window as unknown as { idleNow(): void }).idleNow())

/**
 * The paths the page requests from now on. The function it returns makes one
 * more request and waits for it, so it lists every request started before.
 */
export const watchRequests = (page: Page) => {
  const paths: string[] = []
  page.on('request', (request) => paths.push(new URL(request.url()).pathname))
  return async () => {
    const mark = `/__fixtures/shop.css?mark=${paths.length}`
    await Promise.all([
      page.waitForRequest((request) => request.url().endsWith(mark)),
      page.evaluate((mark) => fetch(mark), mark),
    ])
    return paths
  }
}

/** What the owner does in the inbox: a reply, then the complaint marked resolved. */
export async function resolve(request: APIRequestContext, id: string, message: string) {
  const path = `${COLLECTOR}/v1/admin/complaints/${encodeURIComponent(id)}`
  const replied = await request.post(`${path}/replies`, {
    headers: ADMIN,
    data: { message, author: 'Ana' },
  })
  expect(replied.status(), await replied.text()).toBe(201)
  const resolved = await request.patch(path, { headers: ADMIN, data: { status: 'resolved' } })
  expect(resolved.status(), await resolved.text()).toBe(200)
}

/** Answer one follow-up question in the widget. */
export const tap = (page: Page, question: string, answer: string) =>
  dialog(page)
    .getByRole('group', { name: question })
    .getByRole('radio', { name: answer, exact: true })
    .check()
