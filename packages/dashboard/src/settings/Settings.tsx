/**
 * @module Settings: the script tag, allowed origins, categories (with their
 * self-help), customer verification, the recovery policy's caps, the texts
 * the customer reads, known-issue notices, goodwill coupons, the service
 * guarantee, the coupon pool, webhooks, mail, early warning, the team and
 * the API tokens, one's own account and the audit trail. Each form saves on
 * its own (`PATCH /v1/admin/site` with only its field; notices, the team and
 * tokens through their own routes) and keeps its draft on an error; the
 * others keep theirs whatever happens. What the signed-in role may not
 * change is shown read-only (the team and tokens not at all), with a line
 * saying who may. `noticeFrom` (`#/settings?notice-from=alt_…`) opens the
 * notice editor drafted from that early warning.
 */
import { useSignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'
import { locale, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { AdminApiError, failureText } from '../lib/errors'
import { api, can, me } from '../lib/state'
import type { SiteView } from '../lib/types'
import type { SaveSite } from './_settings-form'
import { CategoriesForm, OriginsForm, ScriptTag } from './_settings-site'
import { AlertRules } from './AlertRules'
import { ApiTokens } from './ApiTokens'
import { AuditTrail } from './AuditTrail'
import { CouponPool } from './CouponPool'
import { CustomerTexts } from './CustomerTexts'
import { CustomerVerification } from './CustomerVerification'
import { GoodwillForm } from './GoodwillForm'
import { GuaranteeForm } from './GuaranteeForm'
import { MailForm } from './MailForm'
import { MyAccount } from './MyAccount'
import { Notices } from './Notices'
import { PhotosForm } from './PhotosForm'
import { PolicyForm } from './PolicyForm'
import { Team } from './Team'
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
  'photos',
  'team',
  'tokens',
  'account',
  'audit',
] as const

/**
 * A part of Settings the signed-in role may read but not change: every
 * control in it disabled at once (the server would refuse the change anyway).
 */
function Locked({ locked, children }: { locked: boolean; children: ComponentChildren }) {
  return locked ? (
    <fieldset class="locked" disabled>
      {children}
    </fieldset>
  ) : (
    children
  )
}

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

  /** Something the audit trail records changed: read it again. */
  const changed = () => {
    auditVersion.value++
  }

  const save: SaveSite = async (patch) => {
    if (!client) throw new AdminApiError(0, 'network', 'Signed out')
    const view = await client.patchSite(patch)
    site.value = view
    auditVersion.value++
    return view
  }

  const view = site.value
  // Read-only for whoever may not change them: the site's settings an owner's, notices and pool a manager's.
  const lockSettings = !can('configure')
  const lockShared = !can('manage')
  const people = can('people')
  const person = me.value
  const shown = (name: (typeof SECTIONS)[number]) =>
    // A server without mail sends no `mail`, and has no section for it.
    name === 'mail'
      ? Boolean(view?.mail)
      : name === 'team' || name === 'tokens'
        ? people
        : name === 'account'
          ? person !== null
          : true
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
            {SECTIONS.filter(shown).map((name) => (
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
          {lockSettings && (
            <p class="banner access" role="note">
              {lockShared ? m.access.readOnly : m.access.managerNote}
            </p>
          )}
          <ScriptTag site={view} origin={location.origin} />
          <Locked locked={lockSettings}>
            <OriginsForm site={view} save={save} />
            <CategoriesForm site={view} save={save} />
            <CustomerVerification site={view} onChange={changed} />
            <PolicyForm site={view} save={save} />
            <CustomerTexts site={view} save={save} initialLocale={locale.value} />
          </Locked>
          <Locked locked={lockShared}>
            <Notices site={view} noticeFrom={noticeFrom} onChange={changed} />
          </Locked>
          <Locked locked={lockSettings}>
            <GoodwillForm site={view} save={save} />
            <GuaranteeForm site={view} save={save} />
          </Locked>
          <Locked locked={lockShared}>
            <CouponPool site={view} save={save} />
          </Locked>
          <Locked locked={lockSettings}>
            <Webhooks onChange={changed} />
            {view.mail && <MailForm mail={view.mail} save={save} />}
            <AlertRules site={view} save={save} />
            <PhotosForm site={view} save={save} />
          </Locked>
          {people ? (
            <>
              <Team site={view} onChange={changed} />
              <ApiTokens onChange={changed} />
            </>
          ) : (
            <p class="panel hint" id="settings-team">
              {m.access.askOwner}
            </p>
          )}
          {person && <MyAccount person={person} currency={view.policy.effective.currency} />}
          <AuditTrail version={auditVersion.value} />
        </>
      )}
    </section>
  )
}
