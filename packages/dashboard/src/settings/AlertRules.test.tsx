import { render, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { setLocale } from '../i18n'
import { AdminApiError } from '../lib/api'
import type { SitePatch, SiteView } from '../lib/types'
import { signedIn } from '../test/helpers'
import { errorOf, retype, site } from './_test-helpers'
import { AlertRules } from './AlertRules'
import { Settings } from './Settings'

/** A site whose categories have labels, as an owner names them. */
const shop = (change: Partial<SiteView> = {}) =>
  site({
    categories: [
      { id: 'broken', failureType: 'outcome' },
      { id: 'delivery', failureType: 'process', labels: { en: 'Delivery', 'zh-CN': '配送' } },
    ],
    ...change,
  })

const rule = (n: number) => within(screen.getByRole('group', { name: `Rule ${n}` }))
const input = (n: number, label: string) => rule(n).getByLabelText(label) as HTMLInputElement
/** What a rule reads as: the sentence its group is described by. */
const reads = (n: number) =>
  screen.getByRole('group', { name: `Rule ${n}` }).querySelector('.rule-reads')!.textContent

/** The form alone, saving through `save`, which answers the site as the server would store it. */
function renderForm(view = shop()) {
  const save = vi.fn(async (patch: SitePatch) =>
    shop({
      alerts: {
        effective: (patch.alerts as SiteView['alerts']['effective'] | null) ?? [],
        overrides: (patch.alerts as SiteView['alerts']['effective'] | null) ?? null,
      },
    }),
  )
  render(<AlertRules site={view} save={save} />)
  return save
}

describe('the early-warning rules', () => {
  it('shows the rules in force, their bounds, and each rule in words', () => {
    renderForm()
    expect(screen.getByText('These are the default rules.')).toBeTruthy()
    expect(
      screen.getByText(
        'Alerts also go to the team addresses of the Mail section and to webhooks subscribed to alert.raised.',
      ),
    ).toBeTruthy()
    expect(reads(1)).toBe('Warn when 5 complaints of one category arrive within 60 minutes.')
    expect(reads(2)).toBe(
      'Warn when complaints in the last 24 hours reach 3 times an average day of the 7 days before, and at least 10.',
    )
    const count = input(1, 'Complaints')
    expect([count.min, count.max, count.value]).toEqual(['2', '10000', '5'])
    expect(rule(1).getByText('From 2 to 10,000.')).toBeTruthy()
    const factor = input(2, 'Times an average day')
    expect([factor.min, factor.max, factor.step]).toEqual(['1.5', '100', 'any'])
    expect((rule(1).getByLabelText('Kind') as HTMLSelectElement).value).toBe('burst')
    expect((rule(2).getByLabelText('What it counts') as HTMLSelectElement).value).toBe('site')
    // A rule over the whole site has no "which one".
    expect(rule(2).queryByLabelText('Which category')).toBeNull()
  })

  it('edits, adds and removes rules, and saves the whole list', async () => {
    const save = renderForm()
    const user = userEvent.setup()
    // Rule 1: only deliveries, six of them.
    await user.selectOptions(rule(1).getByLabelText('Which category'), 'Delivery')
    await retype(input(1, 'Complaints'), '6')
    expect(reads(1)).toBe('Warn when 6 complaints about Delivery arrive within 60 minutes.')
    // Rule 2: a burst instead of a spike, then back: the numbers typed stay.
    await retype(input(2, 'Times an average day'), '2.5')
    await user.selectOptions(
      rule(2).getByLabelText('Kind'),
      'Burst: many complaints within minutes',
    )
    expect(rule(2).queryByLabelText('Times an average day')).toBeNull()
    await user.selectOptions(rule(2).getByLabelText('Kind'), 'Spike: a day well above the usual')
    expect(input(2, 'Times an average day').value).toBe('2.5')
    // A new rule: each failure type, only outcome failures, three within half an hour.
    await user.click(screen.getByRole('button', { name: 'Add a rule' }))
    await waitFor(() => expect(document.activeElement).toBe(rule(3).getByLabelText('Kind')))
    await user.selectOptions(
      rule(3).getByLabelText('What it counts'),
      'Each failure type on its own',
    )
    await user.selectOptions(
      rule(3).getByLabelText('Which failure type'),
      'Outcome (not delivered)',
    )
    await retype(input(3, 'Complaints'), '3')
    await retype(input(3, 'Within (minutes)'), '30')
    expect(reads(3)).toBe('Warn when 3 complaints of type Outcome arrive within 30 minutes.')
    // A fourth, removed again.
    await user.click(screen.getByRole('button', { name: 'Add a rule' }))
    await user.click(rule(4).getByRole('button', { name: /^Remove this rule ?: Rule 4$/ }))
    expect(screen.queryByRole('group', { name: 'Rule 4' })).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add a rule' }))

    await user.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved')
    expect(save).toHaveBeenCalledWith({
      alerts: [
        {
          id: 'burst',
          kind: 'burst',
          by: 'category',
          only: 'delivery',
          count: 6,
          withinMinutes: 60,
        },
        { id: 'spike', kind: 'spike', by: 'site', factor: 2.5, minimum: 10, baselineDays: 7 },
        {
          id: 'rule-3',
          kind: 'burst',
          by: 'failureType',
          only: 'outcome',
          count: 3,
          withinMinutes: 30,
        },
      ],
    })
  })

  it('checks the numbers before sending, and shows the server’s refusal at its field', async () => {
    const save = vi.fn(async (_patch: SitePatch): Promise<SiteView> => {
      throw new AdminApiError(
        400,
        'invalid_request',
        'minimum is a whole number from 1 to 100000',
        'alerts[1].minimum',
      )
    })
    render(<AlertRules site={shop()} save={save} />)
    const user = userEvent.setup()
    const count = input(1, 'Complaints')
    await retype(count, '1')
    await retype(input(2, 'Times an average day'), '1.2')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(count)).toBe('Enter a whole number from 2 to 10,000.')
    expect(count.getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(input(2, 'Times an average day'))).toBe('Enter a number from 1.5 to 100.')

    await retype(count, '4')
    await retype(input(2, 'Times an average day'), '4')
    await retype(input(2, 'At least (complaints)'), '12')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    const minimum = input(2, 'At least (complaints)')
    await waitFor(() => expect(errorOf(minimum)).toBe('minimum is a whole number from 1 to 100000'))
    expect(errorOf(count)).toBe('')
    // The draft stays as typed.
    expect([count.value, input(2, 'Times an average day').value, minimum.value]).toEqual([
      '4',
      '4',
      '12',
    ])
    expect(screen.queryByText('Saved')).toBeNull()

    // A refusal about a rule as a whole (its id) is shown on that rule.
    save.mockRejectedValueOnce(
      new AdminApiError(400, 'invalid_request', 'Duplicate rule id burst', 'alerts[0].id'),
    )
    await user.click(screen.getByRole('button', { name: 'Save' }))
    const group = screen.getByRole('group', { name: 'Rule 1' })
    await waitFor(() => expect(errorOf(group)).toBe('Duplicate rule id burst'))
  })

  it('turns early warning off with [] and restores the defaults with null', async () => {
    const server = signedIn({ site: shop({ mail: undefined }) })
    render(<Settings />)
    const section = within(
      (await screen.findByRole('heading', { name: 'Early warning', level: 2 })).parentElement!,
    )
    expect(screen.getByRole('button', { name: 'Early warning' })).toBeTruthy()
    const patches = () => server.sent('PATCH', /\/site$/).map((request) => request.body)

    await userEvent.click(section.getByRole('button', { name: 'Turn early warning off' }))
    await section.findByText('Early warning is off: without rules, nothing raises an alert.')
    expect(section.queryByRole('group')).toBeNull()
    expect(server.site.alerts).toEqual({ effective: [], overrides: [] })

    await userEvent.click(section.getByRole('button', { name: 'Restore the defaults' }))
    await section.findByText('These are the default rules.')
    expect(section.getAllByRole('group')).toHaveLength(2)
    expect(server.site.alerts.overrides).toBeNull()
    expect(patches()).toEqual([{ alerts: [] }, { alerts: null }])
  })

  it('speaks Chinese', async () => {
    setLocale('zh-CN')
    renderForm()
    expect(screen.getByRole('heading', { name: '预警' })).toBeTruthy()
    const first = within(screen.getByRole('group', { name: '规则 1' }))
    expect(first.getByLabelText('投诉数')).toBeTruthy()
    expect(
      screen.getByRole('group', { name: '规则 1' }).querySelector('.rule-reads')!.textContent,
    ).toBe('当60分钟内收到 5 条同一类别的投诉时预警。')
    expect(
      screen.getByRole('group', { name: '规则 2' }).querySelector('.rule-reads')!.textContent,
    ).toBe('当最近 24 小时内投诉达到此前7天平均每天的 3 倍、且至少 10 条时预警。')
    expect(screen.getByRole('button', { name: '关闭预警' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '恢复默认规则' })).toBeTruthy()
  })
})
