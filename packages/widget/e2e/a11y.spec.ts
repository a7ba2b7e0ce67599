// axe-core on the widget's open dialog and on the answer after sending, in
// the light and the dark theme, colour contrast included.
import { createRequire } from 'node:module'
import { expect, type Page, test } from '@playwright/test'
import { APOLOGY, dialog, launcher, REFERENCE, REMEDY, report, unique } from './_helpers'

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface Result {
  id: string
  impact: string
  help: string
  nodes: { target: unknown[]; failureSummary?: string; any: { data?: { messageKey?: string } }[] }[]
}

// Every WCAG 2.2 A and AA rule and the best practices, on the widget only (its
// host element and all of its shadow root), as one readable line per problem.
// Colour contrast counts as a problem when axe could not measure it, except
// for a one-character label ("×") and empty fields, which it never measures.
const audit = async (page: Page) => {
  await page.addScriptTag({ path: axePath })
  const { violations, incomplete } = await page.evaluate(async () => {
    type Run = (
      context: object,
      options: object,
    ) => Promise<{ violations: Result[]; incomplete: Result[] }>
    const axe = (window as unknown as { axe: { run: Run } }).axe
    // axe lays out only what is inside <body> (its grid starts there), and the
    // widget hangs on <html> to outlive body swaps: for the audit, move it into
    // <body> with moveBefore, which keeps the open modal as it is. It has
    // `all: initial` on its host, so it looks the same in either place.
    const host = document.querySelector('redress-widget')!
    const move = (parent: Element) =>
      (parent as unknown as { moveBefore(node: Node, child: null): void }).moveBefore(host, null)
    move(document.body)
    try {
      return await axe.run(
        { include: [['redress-widget']] },
        {
          runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
          rules: { 'color-contrast': { enabled: true } },
        },
      )
    } finally {
      move(document.documentElement)
    }
  })
  const unmeasured = incomplete
    .filter((result) => result.id === 'color-contrast')
    .map((result) => ({
      ...result,
      id: 'color-contrast not measured',
      nodes: result.nodes.filter(
        (node) => !['shortTextContent', 'emptyValue'].includes(node.any[0]?.data?.messageKey ?? ''),
      ),
    }))
  return [...violations, ...unmeasured].flatMap((result) =>
    result.nodes.map(
      (node) =>
        `${result.id} (${result.impact}): ${result.help} at ${JSON.stringify(node.target)}` +
        (node.failureSummary ? `\n  ${node.failureSummary.replaceAll('\n', '\n  ')}` : ''),
    ),
  )
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme })

    test('no axe violations in the open form, nor after sending', async ({ page }) => {
      await page.clock.install()
      await page.goto('/__fixtures/shop.html')
      await launcher(page).click()
      const form = dialog(page)
      await expect(form.getByLabel('What went wrong?')).toBeFocused()
      // Wait for the opening animation to end, so contrast is measured at full opacity.
      await expect.poll(() => form.evaluate((d) => d.getAnimations().length)).toBe(0)
      // The theme really is the one audited.
      await expect(form).toHaveCSS(
        'background-color',
        colorScheme === 'dark' ? 'rgb(29, 30, 34)' : 'rgb(255, 255, 255)',
      )
      expect(await audit(page)).toEqual([])

      // With the errors shown: required fields left empty.
      await form.getByRole('button', { name: 'Send' }).click()
      await expect(form.getByText('Please tell us what happened.', { exact: true })).toBeVisible()
      expect(await audit(page)).toEqual([])

      // After sending a critical problem: the apology, the reference, both kinds
      // of remedy card: the collector's person to call (no money for a customer
      // nobody vouched for), and the coupon card the shop's own code adds.
      await report(page, unique(`Audited in ${colorScheme}`), {
        severity: "It's serious, I need help now",
        asPerson: true,
      })
      await expect(form.getByText(APOLOGY).first()).toBeVisible()
      await expect(form.getByText(REFERENCE)).toBeVisible()
      await expect(form.getByText(REMEDY.critical)).toBeVisible()
      await expect(form.getByText(REMEDY.within)).toBeVisible()
      await expect(form.getByRole('button', { name: 'Copy code' })).toBeVisible()
      expect(await audit(page)).toEqual([])
    })
  })
}
