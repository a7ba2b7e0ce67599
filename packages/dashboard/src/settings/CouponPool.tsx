/**
 * @module The coupon pool: codes made in the owner's shop system, uploaded
 * as CSV (a file or pasted), what is left of them, and the switch that makes
 * coupon remedies take codes from the pool.
 */
import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { fill } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { formatMoney } from '../lib/money'
import { api } from '../lib/state'
import type { CouponPoolSummary, SiteView } from '../lib/types'
import { policyWithCouponSource, splitLineErrors } from './_settings-data'
import { runSave, type SaveSite, Section, useFormState } from './_settings-form'

type Upload =
  | { status: 'idle' }
  | { status: 'done'; added: number; skipped: number }
  | { status: 'failed'; head: string; lines: string[] }

export function CouponPool({ site, save }: { site: SiteView; save: SaveSite }) {
  const m = settingsMessages.value.pool
  const client = api.value
  const summary = useSignal<CouponPoolSummary | null>(null)
  const summaryError = useSignal<string | null>(null)
  const pasted = useSignal('')
  const file = useSignal<File | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const uploading = useSignal(false)
  const upload = useSignal<Upload>({ status: 'idle' })
  const sourceState = useFormState()
  const version = useSignal(0)

  useEffect(() => {
    if (!client) return
    client
      .couponPool()
      .then((value) => {
        summary.value = value
        summaryError.value = null
      })
      .catch((error: unknown) => {
        summaryError.value = failureText(error)
      })
  }, [client, version.value])

  const coupon = site.policy.effective.coupon as { source?: string } | undefined
  const fromPool = coupon?.source === 'pool'
  const currency = summary.value?.currency ?? site.policy.effective.currency

  const submit = async (event: Event) => {
    event.preventDefault()
    if (!client) return
    const chosen = file.value
    const text = chosen ? await chosen.text() : pasted.value
    if (!text.trim()) {
      upload.value = { status: 'failed', head: m.nothing, lines: [] }
      return
    }
    uploading.value = true
    upload.value = { status: 'idle' }
    try {
      const result = await client.uploadCouponPool(text)
      upload.value = { status: 'done', ...result }
      // Stored: what was typed or chosen is in the pool now.
      pasted.value = ''
      file.value = null
      if (fileInput.current) fileInput.current.value = ''
      version.value++
    } catch (error) {
      const message = failureText(error)
      upload.value = { status: 'failed', ...splitLineErrors(message) }
    } finally {
      uploading.value = false
    }
  }

  const current = upload.value
  return (
    <Section name="pool" title={m.title} hint={m.hint}>
      {summary.value ? (
        <>
          <dl class="counts">
            <div>
              <dt>{m.free}</dt>
              <dd>{summary.value.free}</dd>
            </div>
            <div>
              <dt>{m.used}</dt>
              <dd>{summary.value.used}</dd>
            </div>
            <div>
              <dt>{m.expired}</dt>
              <dd>{summary.value.expired}</dd>
            </div>
          </dl>
          {summary.value.byValue.length > 0 && (
            <p class="hint">
              {m.byValue}{' '}
              {summary.value.byValue
                .map((entry) =>
                  fill(m.valueCount, {
                    value: formatMoney(entry.value, currency),
                    count: entry.free,
                  }),
                )
                .join(' · ')}
            </p>
          )}
        </>
      ) : (
        <p class="error">{summaryError.value}</p>
      )}
      <div class="field check">
        <label>
          <input
            type="checkbox"
            checked={fromPool}
            disabled={sourceState.busy.value}
            aria-describedby="pool-source-hint pool-source-error"
            onChange={(event) => {
              const source = (event.target as HTMLInputElement).checked ? 'pool' : 'generated'
              void runSave(
                sourceState,
                () => save({ policy: policyWithCouponSource(site.policy.overrides, source) }),
                () => null,
              )
            }}
          />{' '}
          {m.useSource}
        </label>
        <p class="hint" id="pool-source-hint">
          {m.useSourceHint}
        </p>
        <p class="error" id="pool-source-error" role="alert">
          {sourceState.formError.value}
        </p>
      </div>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="pool-file">{m.file}</label>
          <input
            id="pool-file"
            ref={fileInput}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(event) => {
              file.value = (event.target as HTMLInputElement).files?.[0] ?? null
            }}
          />
        </div>
        <div class="field">
          <label for="pool-paste">{m.paste}</label>
          <textarea
            id="pool-paste"
            class="mono"
            rows={5}
            spellcheck={false}
            placeholder={'code,value,expires_at\nSAVE5-A1,500,2026-12-31'}
            aria-describedby="pool-format"
            value={pasted.value}
            onInput={(event) => {
              pasted.value = (event.target as HTMLTextAreaElement).value
            }}
          />
          <p class="hint" id="pool-format">
            {fill(m.format, { example: formatMoney(500, currency) })}
          </p>
        </div>
        <div class="save-row">
          <button type="submit" disabled={uploading.value}>
            {m.upload}
          </button>
          <span role="status" class="saved">
            {current.status === 'done'
              ? fill(m.result, { added: current.added, skipped: current.skipped })
              : ''}
          </span>
        </div>
        <div role="alert">
          {current.status === 'failed' && (
            <div class="error">
              <p>{current.head}</p>
              {current.lines.length > 0 && (
                <ul>
                  {current.lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      </form>
    </Section>
  )
}
