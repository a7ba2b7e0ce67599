/**
 * @module Customer verification: the site's verification secrets (listed by
 * their last characters only), making the first one or rotating it with a
 * chosen overlap, the new secret shown once in a read-only field, and how a
 * backend signs a customer token with it.
 */
import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { fill, formatDateTime, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { formatMoney } from '../lib/money'
import { api } from '../lib/state'
import type { CreatedVerificationSecret, SiteView, VerificationSecret } from '../lib/types'
import {
  IDENTIFY_SAMPLE,
  OVERLAP_HOURS,
  type Overlap,
  SAMPLE_ORDER_VALUE,
  tokenSample,
} from './_settings-data'
import { ConfirmPair, CopyButton, Field, Section } from './_settings-form'

/**
 * The older secrets after a rotation at `at`: each stops verifying after the
 * overlap at the latest, and one already stopped is no longer listed.
 */
function afterRotation(
  secrets: VerificationSecret[],
  at: string,
  overlapHours: number,
): VerificationSecret[] {
  const now = Date.parse(at)
  const until = now + overlapHours * 3_600_000
  return secrets.flatMap((secret) => {
    const ends = secret.expiresAt === null ? until : Math.min(Date.parse(secret.expiresAt), until)
    return ends > now ? [{ ...secret, expiresAt: new Date(ends).toISOString() }] : []
  })
}

export function CustomerVerification({
  site,
  onChange,
}: {
  site: SiteView
  /** After a new secret was made (the audit trail records it). */
  onChange?: () => void
}) {
  const m = settingsMessages.value.verification
  const client = api.value
  const secrets = useSignal<VerificationSecret[] | null>(null)
  const loadError = useSignal<string | null>(null)
  const version = useSignal(0)
  const overlap = useSignal<Overlap>('day')
  const confirming = useSignal(false)
  const busy = useSignal(false)
  const note = useSignal<{ error: boolean; text: string } | null>(null)
  // The value lives only here, and only until "I have saved it" or leaving Settings.
  const created = useSignal<CreatedVerificationSecret | null>(null)
  const secretField = useRef<HTMLInputElement>(null)

  useEffect(() => {
    client
      ?.verificationSecrets()
      .then(({ items }) => {
        secrets.value = items
        loadError.value = null
      })
      .catch((error: unknown) => {
        loadError.value = failureText(error)
      })
  }, [client, version.value])

  // Focus lands on the new secret, selected, ready to copy.
  useEffect(() => {
    if (!created.value) return
    secretField.current?.focus()
    secretField.current?.select()
  }, [created.value?.id])

  const first = secrets.value !== null && secrets.value.length === 0
  const make = async () => {
    if (!client) return
    confirming.value = false
    busy.value = true
    note.value = null
    try {
      const hours = first ? undefined : OVERLAP_HOURS[overlap.value]
      const made = await client.rotateVerificationSecret(hours)
      created.value = made
      const { secret: _secret, ...listed } = made
      // The list at once as the server now has it (the older secrets end after
      // the overlap), then read again from it.
      secrets.value = [listed, ...afterRotation(secrets.value ?? [], made.createdAt, hours ?? 24)]
      version.value++
      note.value = { error: false, text: fill(m.made, { hint: made.hint }) }
      onChange?.()
    } catch (error) {
      note.value = { error: true, text: failureText(error) }
    } finally {
      busy.value = false
    }
  }

  const list = secrets.value
  return (
    <Section name="verification" title={m.title} hint={m.hint}>
      {list === null ? (
        <p class={loadError.value ? 'error' : 'hint'}>
          {loadError.value ?? messages.value.common.loading}
        </p>
      ) : list.length === 0 ? (
        <p class="hint">{m.none}</p>
      ) : (
        <div class="table-wrap">
          <table class="secrets">
            <caption class="visually-hidden">{m.list}</caption>
            <thead>
              <tr>
                <th scope="col">{m.secret}</th>
                <th scope="col">{m.created}</th>
                <th scope="col">{m.state}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((secret) => (
                <tr key={secret.id}>
                  <td>
                    <code>…{secret.hint}</code>
                    <span class="visually-hidden"> {fill(m.endsIn, { hint: secret.hint })}</span>
                  </td>
                  <td>{formatDateTime(secret.createdAt)}</td>
                  <td class={secret.expiresAt === null ? 'ok' : 'hint'}>
                    {secret.expiresAt === null
                      ? m.current
                      : fill(m.validUntil, { date: formatDateTime(secret.expiresAt) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {created.value && (
        <div class="banner new-secret">
          <p>
            <strong>{m.newTitle}</strong>
          </p>
          <Field id="verification-new-secret" label={m.newLabel} hint={m.newHint}>
            {(a11y) => (
              <input
                {...a11y}
                ref={secretField}
                class="mono"
                readOnly
                autoComplete="off"
                spellcheck={false}
                value={created.value!.secret}
              />
            )}
          </Field>
          <div class="actions">
            <CopyButton text={created.value.secret} label={m.copySecret} />
            <button
              type="button"
              class="link"
              onClick={() => {
                created.value = null
                note.value = null
              }}
            >
              {m.done}
            </button>
          </div>
        </div>
      )}

      {list !== null && (
        <div class="rotate">
          {!first && (
            <fieldset class="overlap" aria-describedby="verification-overlap-hint">
              <legend>{m.overlap}</legend>
              <div class="options">
                {(Object.keys(OVERLAP_HOURS) as Overlap[]).map((choice) => (
                  <label key={choice}>
                    <input
                      type="radio"
                      name="verification-overlap"
                      value={choice}
                      checked={overlap.value === choice}
                      onChange={() => {
                        overlap.value = choice
                        confirming.value = false
                      }}
                    />{' '}
                    {m.overlapOptions[choice]}
                  </label>
                ))}
              </div>
              <p id="verification-overlap-hint" class={overlap.value === 'now' ? 'warn' : 'hint'}>
                {overlap.value === 'now' ? m.stopWarning : m.overlapHint}
              </p>
            </fieldset>
          )}
          <div class="actions">
            {confirming.value ? (
              <ConfirmPair
                label={m.confirmStop}
                busy={busy.value}
                onConfirm={make}
                onCancel={() => {
                  confirming.value = false
                }}
              />
            ) : (
              <button
                type="button"
                disabled={busy.value || !client}
                onClick={() => {
                  // Stopping the old secret at once breaks backends not yet updated: ask once more.
                  if (!first && overlap.value === 'now') confirming.value = true
                  else void make()
                }}
              >
                {first ? m.create : m.rotate}
              </button>
            )}
          </div>
        </div>
      )}
      <p role="status" class={note.value?.error ? 'error' : 'saved'}>
        {note.value?.text}
      </p>

      <h3>{m.howTitle}</h3>
      <p>
        {fill(m.howServer, {
          example: `${SAMPLE_ORDER_VALUE} = ${formatMoney(SAMPLE_ORDER_VALUE, site.policy.effective.currency)}`,
        })}
      </p>
      <pre class="code">
        <code>{tokenSample(site.publicKey, site.policy.effective.currency)}</code>
      </pre>
      <p>{m.howPage}</p>
      <pre class="code">
        <code>{IDENTIFY_SAMPLE}</code>
      </pre>
    </Section>
  )
}
