// The team end to end, against the real server: the owner (signed in with the
// admin token) invites an agent and a manager in Settings and copies each
// invitation link; each accepts theirs in a browser of their own, setting a
// password, and signs in with it. The agent takes a complaint, gives a €5
// coupon (within their €10 limit: given) and asks €20 (above it: waiting);
// the manager (€50) approves it. The timeline names who did what, and the
// audit trail who invited them.
import { type Browser, expect, type Page, test } from '@playwright/test'

const server = 'http://127.0.0.1:4174'
const TOKEN = 'rdk_e2e'
const PASSWORD = 'a passphrase long enough'

interface Person {
  email: string
  name: string
  role: 'agent' | 'manager'
  /** Their limit per remedy, in euros as typed. */
  limit: string
}

const inbox = (page: Page) => page.getByRole('heading', { name: 'Complaints', level: 1 })

/** CSP violations, so a test can assert the pages needed no exception. */
async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
}

/** The owner, signed in with the admin token, in Settings; copying needs the clipboard. */
async function ownerInSettings(browser: Browser) {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
  const page = await context.newPage()
  const csp = await watchCsp(page)
  await page.goto(`${server}/admin/`)
  await page.getByRole('button', { name: 'Use an admin token instead' }).click()
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(inbox(page)).toBeVisible()
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Team', level: 2 })).toBeVisible()
  return { context, page, csp }
}

/** Invite `person` in the owner's Settings; copy the link shown once, and return it. */
async function invite(page: Page, person: Person): Promise<string> {
  const form = page.locator('form.invite')
  await form.getByLabel('E-mail address').fill(person.email)
  await form.getByLabel('Name').fill(person.name)
  await form.getByLabel('Role').selectOption(person.role)
  await form.getByLabel(/^Most per remedy/).fill(person.limit)
  await form.getByRole('button', { name: 'Invite' }).click()
  const banner = page
    .locator('#settings-team .banner')
    .filter({ hasText: `Copy the invitation link for ${person.name} now.` })
  await expect(banner).toBeVisible()
  const shown = (await banner.locator('code').textContent())!
  expect(shown).toMatch(/^http:\/\/127\.0\.0\.1:4174\/admin\/#\/invite\/[^/]+$/)
  await banner.getByRole('button', { name: 'Copy the link' }).click()
  await expect(banner.getByText('Copied')).toBeVisible()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toBe(shown)
  await banner.getByRole('button', { name: 'Done' }).click()
  await expect(banner).toHaveCount(0)
  return copied
}

/**
 * `person` opens their invitation in a browser of their own, sets a password
 * (signed in at once), then signs out and in again with it.
 */
async function accept(browser: Browser, link: string, person: Person, role: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const csp = await watchCsp(page)
  await page.goto(link)
  await expect(page.getByRole('heading', { name: 'Welcome to the team' })).toBeVisible()
  await page.getByLabel('New password').fill(PASSWORD)
  await page.getByLabel('The same password again').fill(PASSWORD)
  await page.getByRole('button', { name: 'Set the password and sign in' }).click()
  await expect(inbox(page)).toBeVisible()
  await expect(page.getByText(`${person.name}, ${role}`)).toBeVisible()
  // The link's token leaves the address once used.
  expect(new URL(page.url()).hash).toBe('#/inbox')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('E-mail address').fill(person.email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(inbox(page)).toBeVisible()
  // The session is the cookie: a reload lands in the inbox, nothing kept in the tab.
  await page.reload()
  await expect(inbox(page)).toBeVisible()
  await expect(page.getByText(`${person.name}, ${role}`)).toBeVisible()
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  await expect(page.locator('.live-badge')).toHaveText('Live')
  return { context, page, csp }
}

const row = (page: Page, text: string) =>
  page.getByRole('listbox', { name: 'Complaints, newest first' }).getByRole('option').filter({
    hasText: text,
  })

test('an owner invites an agent and a manager; the agent’s remedy above their limit waits for the manager', async ({
  browser,
  request,
}) => {
  const run = Date.now().toString(36)
  const agent: Person = {
    email: `agent-${run}@shop.example`,
    name: `Ada ${run}`,
    role: 'agent',
    limit: '10',
  }
  const manager: Person = {
    email: `manager-${run}@shop.example`,
    name: `Max ${run}`,
    role: 'manager',
    limit: '50',
  }

  const owner = await ownerInSettings(browser)
  const agentLink = await invite(owner.page, agent)
  const managerLink = await invite(owner.page, manager)
  const team = owner.page.locator('#settings-team')
  await expect(team.locator('li').filter({ hasText: agent.email })).toContainText(
    'Agent · Invited: has not set a password yet',
  )
  await expect(team.locator('li').filter({ hasText: agent.email })).toContainText(
    'Limit per remedy: €10.00',
  )

  const ada = await accept(browser, agentLink, agent, 'Agent')
  const max = await accept(browser, managerLink, manager, 'Manager')

  // A complaint through the public API, as the widget sends one: an apology, nothing more.
  const description = `The lid came off in the post (${run})`
  const sent = await request.post(`${server}/v1/complaints`, {
    headers: { 'content-type': 'application/json', 'idempotency-key': `team-${run}` },
    data: { site: 'pk_demo', category: 'order', severity: 'minor', description },
  })
  expect(sent.status()).toBe(201)
  const { reference } = (await sent.json()) as { reference: string }

  // The agent takes it and gives a €5 coupon, within their limit.
  const arrived = row(ada.page, description)
  await expect(arrived).toBeVisible({ timeout: 10_000 })
  await arrived.click()
  await expect(ada.page.getByRole('heading', { name: `Complaint ${reference}` })).toBeVisible()
  await ada.page.getByRole('button', { name: 'Take it' }).click()
  await expect(ada.page.getByText('You own this complaint.')).toBeVisible()
  await expect(ada.page.locator('.caps-own')).toHaveText(
    'Your own limit: €10.00 a remedy. Above it, a remedy waits for a manager’s approval.',
  )
  await ada.page.getByLabel('Value in EUR').fill('5')
  await ada.page.getByRole('button', { name: 'Give Coupon' }).click()
  await expect(ada.page.getByText(/^Coupon given: code [2-9A-Z]+\.$/)).toBeVisible()

  // €20 is above it: drafted, waiting for someone whose limit covers it.
  await ada.page.getByLabel('Value in EUR').fill('20')
  await ada.page.getByRole('button', { name: 'Give Coupon' }).click()
  await expect(ada.page.getByText('Coupon is waiting for approval.')).toBeVisible()
  const waiting = ada.page.locator('.remedy-row').filter({ hasText: 'Waiting for approval' })
  await expect(waiting).toContainText(
    'Why it waits: it is more than the person who gave it may give on their own.',
  )
  // An agent approves nothing, their own remedies included.
  await expect(waiting.getByRole('button', { name: 'Approve' })).toHaveCount(0)
  await expect(ada.page.locator('.timeline')).toContainText(
    `Taken by ${agent.name} · by ${agent.name}`,
  )

  // The manager finds it among those waiting for them, and approves it.
  await max.page.getByLabel('Waiting for my approval').check()
  const pending = row(max.page, description)
  await expect(pending).toBeVisible({ timeout: 10_000 })
  await expect(pending).toContainText(`Owner: ${agent.name}`)
  await pending.click()
  await expect(max.page.getByRole('heading', { name: `Complaint ${reference}` })).toBeVisible()
  const decide = max.page.locator('.remedy-row').filter({ hasText: 'Waiting for approval' })
  await decide.getByRole('button', { name: 'Approve' }).click()
  await expect(max.page.locator('.remedy-row').filter({ hasText: '€20.00' })).toContainText(
    'Approved',
  )
  await expect(max.page.locator('.timeline')).toContainText(
    `Coupon approved: €20.00 · by ${manager.name}`,
  )
  await max.page.screenshot({ path: test.info().outputPath('approved.png'), fullPage: true })

  // The agent's view follows live: approved, and who took it.
  await expect(ada.page.locator('.remedy-row').filter({ hasText: '€20.00' })).toContainText(
    'Approved',
  )
  await expect(ada.page.locator('.timeline')).toContainText(`· by ${manager.name}`)

  // The owner's Settings: both active now, and the audit trail says who invited them.
  await owner.page.reload()
  await expect(team.locator('li').filter({ hasText: manager.email })).toContainText(
    'Manager · Active',
  )
  const trail = owner.page.locator('#settings-audit')
  await expect(trail).toContainText(`invited ${agent.name} (${agent.email}) as Agent`)
  await expect(trail).toContainText(`invited ${manager.name} (${manager.email}) as Manager`)
  await expect(
    trail
      .locator('li')
      .filter({ hasText: `invited ${agent.name}` })
      .first(),
  ).toContainText('by the admin token')
  await owner.page.screenshot({ path: test.info().outputPath('team.png'), fullPage: true })

  // Insights count per person: the agent owns one complaint, which got a remedy, unanswered yet.
  await owner.page.getByRole('link', { name: 'Insights' }).click()
  const mine = owner.page
    .getByRole('region', { name: 'By person' })
    .getByRole('row')
    .filter({ hasText: agent.name })
  await expect(mine.locator('td')).toHaveText(['1', '—', '100%'])

  for (const who of [owner, ada, max]) expect(await who.csp()).toEqual([])
  await Promise.all([owner.context.close(), ada.context.close(), max.context.close()])
})
