/**
 * @module For the Settings tests: a site as `GET /v1/admin/site` answers,
 * reading a field and its error, and a clean slate after each test.
 */

import { DEFAULT_ALERT_RULES } from '@redress/protocol/admin'
import { cleanup, screen } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, vi } from 'vitest'
import { setLocale } from '../i18n'
import { signOut } from '../lib/state'
import type { SiteView } from '../lib/types'
import '../test/locales'

export const CAPS = {
  perComplaintPercent: 100,
  perComplaintMax: 5000,
  perCustomer30Days: 5000,
  perSiteDay: 50000,
}
export const GOODWILL = { enabled: false, value: 300, perDay: 3000, perIpDay: 1 }

export function site(change: Partial<SiteView> = {}): SiteView {
  return {
    name: 'Acme Mugs',
    publicKey: 'pk_acme',
    origins: ['https://shop.example'],
    categories: [{ id: 'broken', failureType: 'outcome' }],
    rateLimits: { effective: {}, overrides: null },
    policy: {
      effective: {
        currency: 'EUR',
        caps: { ...CAPS },
        goodwill: { ...GOODWILL },
        coupon: { source: 'generated' },
      },
      overrides: { coupon: { validDays: 60 } },
    },
    guarantee: null,
    alerts: { effective: [...DEFAULT_ALERT_RULES], overrides: null },
    attachments: { effective: { retentionDays: 180 }, overrides: null },
    createdAt: '2026-11-01T10:00:00.000Z',
    ...change,
  }
}

export const field = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement
/** The error text tied to an input through aria-describedby. */
export const errorOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((element) => element?.classList.contains('error'))?.textContent ?? ''

export async function retype(input: HTMLElement, text: string) {
  await userEvent.clear(input)
  if (text) await userEvent.type(input, text)
}

beforeEach(() => setLocale('en'))
afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
})
