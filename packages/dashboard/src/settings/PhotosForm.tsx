/**
 * @module How long the site keeps customers' photos (`PATCH /v1/admin/site`
 * `{ attachments: { retentionDays } }`, `null` for the default of 180 days).
 */
import { useSignal } from '@preact/signals'
import { settingsMessages } from '../i18n/settings'
import type { SiteView } from '../lib/types'
import { Field, runSave, SaveRow, type SaveSite, Section, useFormState } from './_settings-form'

export function PhotosForm({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.photos
  // A server from before photos sends no `attachments`: nothing to set.
  const days = useSignal(String(site.attachments?.effective.retentionDays ?? 180))
  const state = useFormState()
  if (!site.attachments) return null

  const submit = async (event: Event) => {
    event.preventDefault()
    const value = Number(days.value.trim())
    const problems: Record<string, string> =
      Number.isInteger(value) && value >= 1 && value <= 3650 ? {} : { days: m.daysInvalid }
    await runSave(
      state,
      () => save({ attachments: { retentionDays: value } }),
      (field, message) => (field.startsWith('attachments') ? { key: 'days', message } : null),
      problems,
    )
  }
  return (
    <Section name="photos" title={m.title} hint={m.hint}>
      <form onSubmit={submit} noValidate>
        <Field id="photos-days" label={m.days} hint={m.daysHint} error={state.errors.value.days}>
          {(a11y) => (
            <input
              {...a11y}
              inputMode="numeric"
              autoComplete="off"
              value={days.value}
              onInput={(event) => {
                days.value = (event.target as HTMLInputElement).value
              }}
            />
          )}
        </Field>
        <SaveRow state={state} />
      </form>
    </Section>
  )
}
