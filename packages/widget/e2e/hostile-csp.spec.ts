// A page that fights the widget with its CSS and forbids anything inline or
// evaluated with its Content-Security-Policy: the widget still shows, works,
// and causes not one violation from load to the reference number.
import { expect, type Page, test } from '@playwright/test'
import {
  APOLOGY,
  COLLECTOR,
  dialog,
  launcher,
  REFERENCE,
  REMEDY,
  storedOnce,
  takeTimeToWrite,
  unique,
} from './_helpers'

// Every violation the page saw (from csp-watch.js, loaded first) and every
// console message or page error about the policy or Trusted Types.
const watch = (page: Page) => {
  const messages: string[] = []
  page.on('console', (message) => {
    if (/Content.Security.Policy|Trusted/i.test(message.text())) messages.push(message.text())
  })
  page.on('pageerror', (error) => messages.push(`page error: ${error.message}`))
  return async () => [
    ...messages,
    ...(await page.evaluate(() =>
      (window as unknown as { cspViolations: object[] }).cspViolations.map((v) =>
        JSON.stringify(v),
      ),
    )),
  ]
}

for (const [file, policy] of [
  ['hostile.html', "script-src 'self'"],
  ['hostile-nonce.html', "script-src 'nonce-…' and require-trusted-types-for 'script'"],
]) {
  test(`works on a hostile page under ${policy}, without one CSP violation`, async ({
    page,
    request,
  }) => {
    const description = unique(`Hostile page, ${policy}`)
    const violations = watch(page)
    await page.clock.install()
    const response = await page.goto(`/__fixtures/${file}`)
    // The policy really is in force, and the page's own CSS really is hostile.
    const csp = response?.headers()['content-security-policy']
    expect(csp).toContain("default-src 'none'")
    // The collector is named in it, as a shop that embeds the widget names it.
    expect(csp).toContain(`connect-src 'self' ${COLLECTOR};`)
    await expect(page.getByRole('button', { name: "The page's own button" })).toBeHidden()

    const button = launcher(page)
    await expect(button).toBeVisible()
    // Its own size and corner, whatever the page's reset and 40px root font say.
    const viewport = page.viewportSize()!
    const box = (await button.boundingBox())!
    expect(box.height).toBeGreaterThan(30)
    expect(box.height).toBeLessThan(70)
    expect(viewport.width - (box.x + box.width)).toBeCloseTo(16, 0)
    expect(viewport.height - (box.y + box.height)).toBeCloseTo(16, 0)
    await expect(button).toHaveCSS('font-size', '15px')
    // A real click at its centre: the full-screen overlay at z-index 2147483647 lets it through.
    await button.click()

    const form = dialog(page)
    await expect(page.getByRole('dialog', { name: 'Report a problem' })).toBeVisible()
    await expect(form.getByLabel('What went wrong?')).toBeFocused()
    await expect(form.getByRole('button', { name: 'Send' })).toBeVisible()
    await form.getByLabel('What went wrong?').selectOption('broken')
    await form.getByLabel('It caused me real trouble').check()
    await form.getByLabel('What happened?').fill(description)
    await takeTimeToWrite(page)
    await form.getByRole('button', { name: 'Send' }).click()
    await expect(form.getByText(APOLOGY).first()).toBeVisible()
    await expect(form.getByText(REFERENCE)).toBeVisible()
    // The collector's answer to a major problem nobody vouched for: a person decides on money.
    await expect(form.getByText(REMEDY.major)).toBeVisible()
    await expect(form.getByRole('button', { name: 'Copy code' })).toHaveCount(0)
    const entry = await storedOnce(request, description)
    expect(entry.complaint).toMatchObject({ category: 'broken', severity: 'major' })
    expect(entry.suspicion).toBeNull()

    await form.getByRole('button', { name: 'Close' }).click()
    await expect(form).toBeHidden()
    await expect(button).toBeFocused()
    expect(await violations()).toEqual([])
  })
}
