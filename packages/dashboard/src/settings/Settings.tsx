/**
 * @module Settings: the script tag, allowed origins, categories, customer
 * verification, the recovery policy's caps, the texts the customer reads,
 * known-issue notices, goodwill coupons, the service guarantee, the coupon
 * pool, webhooks, mail, early warning and the audit trail. Each form saves on
 * its own (`PATCH /v1/admin/site` with only its field; notices through their
 * own routes) and keeps its draft on an error; the others keep theirs
 * whatever happens. `noticeFrom` (`#/settings?notice-from=alt_…`) opens the
 * notice editor drafted from that early warning.
 */
import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { locale, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { AdminApiError, failureText } from '../lib/errors'
import { api } from '../lib/state'
import type { SiteView } from '../lib/types'
import type { SaveSite } from './_settings-form'
import { CategoriesForm, OriginsForm, ScriptTag } from './_settings-site'
import { AlertRules } from './AlertRules'
import { AuditTrail } from './AuditTrail'
import { CouponPool } from './CouponPool'
import { CustomerTexts } from './CustomerTexts'
import { CustomerVerification } from './CustomerVerification'
import { GoodwillForm } from './GoodwillForm'
import { GuaranteeForm } from './GuaranteeForm'
import { MailForm } from './MailForm'
import { Notices } from './Notices'
import { PolicyForm } from './PolicyForm'
import { Webhooks } from './Webhooks'
import './settings.css'

const SECTIONS = [
  'script',
  'origins',
  'categories',
  'verification',
  'policy',
  'texts',
  'notices',
  'goodwill',
  'guarantee',
  'pool',
  'webhooks',
  'mail',
  'alerts',
  'audit',
] as const

export function Settings({ noticeFrom }: { noticeFrom?: string | undefined }) {
  const m = settingsMessages.value
  const client = api.value
  const site = useSignal<SiteView | null>(null)
  const error = useSignal<string | null>(null)
  const attempt = useSignal(0)
  const auditVersion = useSignal(0)

  useEffect(() => {
    if (!client) return
    client
      .site()
      .then((view) => {
        site.value = view
        error.value = null
      })
      .catch((caught: unknown) => {
        error.value = failureText(caught)
      })
  }, [client, attempt.value])

  const save: SaveSite = async (patch) => {
    if (!client) throw new AdminApiError(0, 'network', 'Signed out')
    const view = await client.patchSite(patch)
    site.value = view
    auditVersion.value++
    return view
  }

  const view = site.value
  return (
    <section class="settings" aria-labelledby="settings-title">
      <header class="view-head">
        <h1 id="settings-title">{m.title}</h1>
        {view && <p class="hint">{view.name}</p>}
      </header>
      {!view ? (
        error.value ? (
          <div class="panel" role="alert">
            <p class="error">{error.value}</p>
            <button
              type="button"
              onClick={() => {
                error.value = null
                attempt.value++
              }}
            >
              {messages.value.common.retry}
            </button>
          </div>
        ) : (
          <p role="status">{messages.value.common.loading}</p>
        )
      ) : (
        <>
          <nav class="settings-nav" aria-label={m.jump}>
            {/* A server without mail sends no `mail`, and has no section for it. */}
            {SECTIONS.filter((name) => name !== 'mail' || view.mail).map((name) => (
              <button
                key={name}
                type="button"
                class="link"
                onClick={() => {
                  const target = document.getElementById(`settings-${name}`)
                  target?.scrollIntoView({ block: 'start' })
                  target?.querySelector<HTMLElement>('h2')?.focus()
                }}
              >
                {m.nav[name]}
              </button>
            ))}
          </nav>
          <ScriptTag site={view} origin={location.origin} />
          <OriginsForm site={view} save={save} />
          <CategoriesForm site={view} save={save} />
          <CustomerVerification
            site={view}
            onChange={() => {
              auditVersion.value++
            }}
          />
          <PolicyForm site={view} save={save} />
          <CustomerTexts site={view} save={save} initialLocale={locale.value} />
          <Notices
            site={view}
            noticeFrom={noticeFrom}
            onChange={() => {
              auditVersion.value++
            }}
          />
          <GoodwillForm site={view} save={save} />
          <GuaranteeForm site={view} save={save} />
          <CouponPool site={view} save={save} />
          <Webhooks
            onChange={() => {
              auditVersion.value++
            }}
          />
          {view.mail && <MailForm mail={view.mail} save={save} />}
          <AlertRules site={view} save={save} />
          <AuditTrail version={auditVersion.value} />
        </>
      )}
    </section>
  )
}
