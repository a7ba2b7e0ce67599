// What a customer's browser downloads. A page view without intent costs
// redress.js alone; the form, its messages and the site's settings come on
// intent, or at idle when a complaint from an earlier page waits to be sent.
// Sizes are what the browser fetched, each file gzipped at level 9 and summed.
import { gzipSync } from 'node:zlib'
import { expect, type Page, test } from '@playwright/test'
import budgets from '../budgets.json' with { type: 'json' }
import {
  dialog,
  holdIdle,
  idle,
  launcher,
  REFERENCE,
  REMEDY,
  report,
  resolve,
  storedOnce,
  tap,
  unique,
  watchRequests,
} from './_helpers'

/** Every script the page fetches from now on, by file name, with its gzip -9 size. */
const scripts = (page: Page) => {
  const sizes: Promise<[string, number]>[] = []
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return
    const name = new URL(response.url()).pathname.split('/').pop()!
    sizes.push(response.body().then((body) => [name, gzipSync(body, { level: 9 }).length]))
  })
  return async () => {
    const all = await Promise.all(sizes)
    // The page's own scripts (the stub) are not the widget's.
    const ours = all.filter(([name]) => name.startsWith('redress'))
    return { names: ours.map(([name]) => name), bytes: ours.reduce((sum, [, n]) => sum + n, 0) }
  }
}

const widgetRequests = (paths: string[]) =>
  paths.filter((path) => path.startsWith('/redress') || path.startsWith('/v1/'))

test('a page view without intent fetches redress.js alone, even when the page goes idle', async ({
  page,
}) => {
  await holdIdle(page)
  const fetched = scripts(page)
  const requests = watchRequests(page)
  await page.goto('/__fixtures/page.html')
  await expect(launcher(page)).toBeVisible()
  await idle(page)
  expect(widgetRequests(await requests())).toEqual(['/redress.js'])
  const { names, bytes } = await fetched()
  expect(names).toEqual(['redress.js'])
  test.info().annotations.push({ type: 'page view', description: `${bytes} B gzip -9` })
  expect(bytes).toBeLessThanOrEqual(budgets.eager)
})

test('intent loads the form before the click: a pointer over the launcher', async ({ page }) => {
  await holdIdle(page)
  const requests = watchRequests(page)
  await page.goto('/__fixtures/page.html')
  await launcher(page).hover()
  await expect
    .poll(async () => widgetRequests(await requests()))
    .toEqual(expect.arrayContaining(['/redress-app.js', '/v1/sites/pk_demo']))
})

test('a complaint left unsent by an earlier page: the next page sends it at idle', async ({
  page,
  context,
  request,
}) => {
  const description = unique('Queued on one page, sent from the next')
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  // The form is loaded, then the network goes.
  await expect(dialog(page).getByLabel('What went wrong?')).toBeFocused()
  await context.setOffline(true)
  await report(page, description)
  await expect(dialog(page).getByText(/offline/)).toBeVisible()
  await page.close()
  await context.setOffline(false)

  const next = await context.newPage()
  await holdIdle(next)
  const requests = watchRequests(next)
  await next.goto('/__fixtures/page.html')
  await expect(launcher(next)).toBeVisible()
  expect(widgetRequests(await requests())).toEqual(['/redress.js'])
  await idle(next)
  await storedOnce(request, description)
  expect(widgetRequests(await requests())).toContain('/redress-app.js')
})

test('data-preload="idle" loads the form when the page goes idle', async ({ page }) => {
  await holdIdle(page)
  const requests = watchRequests(page)
  await page.goto('/__fixtures/page-view-idle.html')
  await expect(launcher(page)).toBeVisible()
  expect(widgetRequests(await requests())).toEqual(['/redress.js'])
  await idle(page)
  await expect
    .poll(async () => widgetRequests(await requests()))
    .toEqual(expect.arrayContaining(['/redress-app.js', '/v1/sites/pk_demo']))
})

test('a whole complaint, from the launcher to the follow-up answer, fits the flow budget', async ({
  page,
  request,
}) => {
  const description = unique('The handle came off the mug')
  const fetched = scripts(page)
  await page.clock.install()
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  await report(page, description, { severity: 'It caused me real trouble', asPerson: true })
  const form = dialog(page)
  await expect(form.getByText(REFERENCE)).toBeVisible()
  await expect(form.getByText(REMEDY.major)).toBeVisible()
  const sent = await storedOnce(request, description)
  await resolve(request, sent.id, 'A new mug is on its way.')
  await form.getByRole('button', { name: 'Check status' }).click()
  await tap(page, 'Did we make it right?', '5')
  await tap(page, 'Is your problem solved?', 'Yes')
  await form.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(form.getByText('Thank you, this helps us do better.').first()).toBeVisible()

  const { names, bytes } = await fetched()
  expect(names).toEqual(
    expect.arrayContaining(['redress.js', 'redress-app.js', expect.stringMatching(/^redress-en-/)]),
  )
  test
    .info()
    .annotations.push({ type: 'flow', description: `${bytes} B gzip -9: ${names.join(' ')}` })
  expect(bytes).toBeLessThanOrEqual(budgets.flow)
})
