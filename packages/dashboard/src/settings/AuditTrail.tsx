/**
 * @module The audit trail of the site's settings: the recent changes, newest
 * first, who made each (a person, an API token or the admin token, when the
 * server names them), each field with a one-line summary and its value
 * before and after (a known-issue notice by the start of its message:
 * published, changed, ended or deleted; a person invited, changed, disabled
 * or enabled; a token made or revoked; a new admin token).
 */
import { useSignal } from '@preact/signals'
import { DEFAULT_ALERT_RULES } from '@redress/protocol/admin'
import { useEffect } from 'preact/hooks'
import { fill, formatDateTime, locale, messages } from '../i18n'
import { type SettingsMessages, settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { api } from '../lib/state'
import type { ActorRef, Role, SiteChange } from '../lib/types'
import { shownMessage } from './_notices-data'
import { Section } from './_settings-form'

type AuditMessages = SettingsMessages['audit']
type Field = keyof SiteChange['changes']

const idsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map((entry) =>
        typeof entry === 'string' ? entry : String((entry as { id?: unknown })?.id ?? ''),
      )
    : []

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The dotted paths whose values differ between two JSON values (`null` reads
 * as an empty object): `{ caps: { perSiteDay: 1 } }` against `null` → `['caps.perSiteDay']`.
 */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const a = before === null && isObject(after) ? {} : before
  const b = after === null && isObject(before) ? {} : after
  if (!isObject(a) || !isObject(b))
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '·']
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.flatMap((key) =>
    changedPaths(a[key] ?? null, b[key] ?? null, prefix ? `${prefix}.${key}` : key),
  )
}

/** A notice's words in the dashboard's language (else as the widget would pick), cut short. */
function noticeWords(value: unknown): string {
  const words = isObject(value) && isObject(value.messages) ? value.messages : {}
  const text = shownMessage(words as Record<string, string>, locale.value)?.text ?? ''
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

/**
 * A known-issue notice's change: published (nothing before), deleted
 * (nothing after), ended (an end set to the moment of the change, as "End
 * now" does), or which of its fields changed.
 */
function describeNotice(change: { before: unknown; after: unknown }, m: AuditMessages): string {
  const { before, after } = change
  if (!isObject(after)) return fill(m.noticeRemoved, { text: noticeWords(before) })
  const text = noticeWords(after)
  if (!isObject(before)) return fill(m.noticePublished, { text })
  const endsAt = typeof after.endsAt === 'string' ? Date.parse(after.endsAt) : Number.NaN
  const changedAt = typeof after.updatedAt === 'string' ? Date.parse(after.updatedAt) : Number.NaN
  if (after.endsAt !== before.endsAt && endsAt <= changedAt) return fill(m.noticeEnded, { text })
  const paths = changedPaths(before, after).filter((path) => path !== 'updatedAt')
  return paths.length ? fill(m.noticeChanged, { list: paths.join(', '), text }) : m.edited
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/** A person of the team changed: invited (nothing before), disabled, enabled, or which fields. */
function describeMember(change: { before: unknown; after: unknown }, m: AuditMessages): string {
  const { before, after } = change
  if (!isObject(after)) return m.edited
  const name = text(after.name)
  if (!isObject(before)) {
    const roles = messages.value.common.roles as Record<string, string>
    return fill(m.invited, {
      name,
      email: text(after.email),
      role: roles[text(after.role) as Role] ?? text(after.role),
    })
  }
  if (!before.disabledAt && after.disabledAt) return fill(m.memberDisabled, { name })
  if (before.disabledAt && !after.disabledAt) return fill(m.memberEnabled, { name })
  const paths = changedPaths(before, after)
  return paths.length ? fill(m.memberChanged, { name, list: paths.join(', ') }) : m.edited
}

/** An API token made (not revoked yet) or revoked; never its secret, which the trail has not. */
function describeToken(change: { after: unknown }, m: AuditMessages): string {
  const after = isObject(change.after) ? change.after : {}
  const name = text(after.name)
  if (after.revokedAt) return fill(m.tokenRevoked, { name })
  const scopes = Array.isArray(after.scopes) ? after.scopes.join(', ') : ''
  return fill(m.tokenMade, { name, scopes })
}

/** Who made a change, as the trail names them; `''` for a change from before people signed in. */
export function describeActor(by: ActorRef | null | undefined, m: AuditMessages): string {
  if (!by) return ''
  if (by.kind === 'admin_token') return m.byAdminToken
  return fill(by.kind === 'token' ? m.byToken : m.by, { name: by.name })
}

/** One line saying what changed in a field. */
export function describeChange(
  field: Field,
  change: { before: unknown; after: unknown },
  m: AuditMessages,
): string {
  if (field === 'notices') return describeNotice(change, m)
  if (field === 'team') return describeMember(change, m)
  if (field === 'tokens') return describeToken(change, m)
  if (field === 'adminToken') return m.adminTokenMade
  if (field === 'alerts') {
    if (change.after === null) return m.reset
    if (Array.isArray(change.after) && change.after.length === 0) return m.alertsOff
  }
  if (field === 'origins' || field === 'categories' || field === 'alerts') {
    // Rules stored for the first time replace the defaults, not nothing.
    const before = idsOf(
      field === 'alerts' && change.before === null ? DEFAULT_ALERT_RULES : change.before,
    )
    const after = idsOf(change.after)
    const added = after.filter((id) => !before.includes(id))
    const removed = before.filter((id) => !after.includes(id))
    const parts = [
      added.length ? fill(m.added, { list: added.join(', ') }) : '',
      removed.length ? fill(m.removed, { list: removed.join(', ') }) : '',
    ].filter(Boolean)
    return parts.length ? parts.join('; ') : m.edited
  }
  if (field === 'webhooks') {
    const url = (value: unknown) => String((value as { url?: unknown } | null)?.url ?? '')
    if (change.before === null) return fill(m.endpointAdded, { url: url(change.after) })
    if (change.after === null) return fill(m.endpointDisabled, { url: url(change.before) })
    return m.edited
  }
  if (field === 'verificationSecrets') {
    // The trail names a new secret by its id and last characters, never its value.
    const hint = (change.after as { hint?: unknown } | null)?.hint
    return typeof hint === 'string' ? fill(m.secretMade, { hint }) : m.edited
  }
  if (change.after === null) return field === 'guarantee' ? m.guaranteeRemoved : m.reset
  if (field === 'guarantee') {
    const text = String((change.after as { text?: unknown }).text ?? '')
    return fill(change.before === null ? m.guaranteeSet : m.guaranteeChanged, { text })
  }
  const paths = changedPaths(change.before, change.after)
  return paths.length ? fill(m.changedFields, { list: paths.join(', ') }) : m.edited
}

/** A field by its name here; one this dashboard has no words for yet (a newer server's) by its key. */
const fieldName = (field: Field, m: AuditMessages): string =>
  (m.field as Partial<Record<Field, string>>)[field] ?? field

export function AuditTrail({ version }: { version: number }) {
  const m = settingsMessages.value.audit
  const client = api.value
  const items = useSignal<SiteChange[] | null>(null)
  const error = useSignal<string | null>(null)
  useEffect(() => {
    client
      ?.siteChanges(20)
      .then((page) => {
        items.value = page.items
        error.value = null
      })
      .catch((caught: unknown) => {
        error.value = failureText(caught)
      })
  }, [client, version])
  return (
    <Section name="audit" title={m.title} hint={m.hint}>
      {error.value ? (
        <p class="error">{error.value}</p>
      ) : items.value === null ? (
        <p class="hint">{messages.value.common.loading}</p>
      ) : items.value.length === 0 ? (
        <p class="hint">{m.none}</p>
      ) : (
        <ol class="audit">
          {items.value.map((item) => (
            <li key={item.id}>
              <time dateTime={item.at}>{formatDateTime(item.at)}</time>
              {item.by && <span class="audit-by"> · {describeActor(item.by, m)}</span>}
              <ul>
                {(
                  Object.entries(item.changes) as Array<
                    [Field, { before: unknown; after: unknown }]
                  >
                ).map(([field, change]) => (
                  <li key={field}>
                    <strong>{fieldName(field, m)}</strong>: {describeChange(field, change, m)}
                    <details>
                      <summary>{m.details}</summary>
                      <div class="before-after">
                        <div>
                          <p class="hint">{m.before}</p>
                          <pre class="code">{JSON.stringify(change.before, null, 2)}</pre>
                        </div>
                        <div>
                          <p class="hint">{m.after}</p>
                          <pre class="code">{JSON.stringify(change.after, null, 2)}</pre>
                        </div>
                      </div>
                    </details>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </Section>
  )
}
