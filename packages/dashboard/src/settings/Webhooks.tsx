/**
 * @module Webhook endpoints: add one with its event types (the secret is
 * shown once, with a copy button), disable one, send a test event, and read
 * each endpoint's delivery log with a replay button per delivery.
 */
import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { fill, formatDateTime, messages } from '../i18n'
import { settingsMessages } from '../i18n/settings'
import { failureText } from '../lib/errors'
import { api } from '../lib/state'
import {
  type CreatedWebhook,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '../lib/types'
import {
  ConfirmPair,
  Field,
  ItemsView,
  runSave,
  SaveRow,
  Section,
  ShownOnce,
  useFormState,
  useItems,
} from './_settings-form'

export function Webhooks({ onChange }: { onChange?: () => void }) {
  const m = settingsMessages.value.webhooks
  const endpoints = useItems((client) => client.webhooks())
  const created = useSignal<CreatedWebhook | null>(null)

  return (
    <Section name="webhooks" title={m.title} hint={m.hint}>
      {created.value && (
        <ShownOnce
          title={m.secretTitle}
          hint={m.secretHint}
          secret={created.value.secret}
          done={m.secretDone}
          onDone={() => {
            created.value = null
          }}
        />
      )}
      <ItemsView list={endpoints} none={m.none}>
        {(items) => (
          <ul class="endpoints">
            {items.map((endpoint) => (
              <EndpointItem
                key={endpoint.id}
                endpoint={endpoint}
                onDisabled={(next) => {
                  endpoints.replace(next)
                  onChange?.()
                }}
              />
            ))}
          </ul>
        )}
      </ItemsView>
      <AddEndpoint
        onCreated={(endpoint) => {
          created.value = endpoint
          const { secret: _secret, ...listed } = endpoint
          endpoints.items.value = [...(endpoints.items.value ?? []), listed]
          onChange?.()
        }}
      />
    </Section>
  )
}

function AddEndpoint({ onCreated }: { onCreated: (endpoint: CreatedWebhook) => void }) {
  const m = settingsMessages.value.webhooks
  const url = useSignal('')
  const types = useSignal<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES])
  const state = useFormState()
  const submit = async (event: Event) => {
    event.preventDefault()
    const client = api.value
    if (!client) return
    const problems: Record<string, string> = {}
    if (!/^https?:\/\/\S+$/i.test(url.value.trim())) problems.url = m.urlInvalid
    if (types.value.length === 0) problems.types = m.typesEmpty
    const endpoint = await runSave(
      state,
      () => client.createWebhook({ url: url.value.trim(), types: types.value }),
      (field, message) =>
        field === 'url' || field.startsWith('types')
          ? { key: field.startsWith('types') ? 'types' : 'url', message }
          : null,
      problems,
    )
    if (endpoint) {
      url.value = ''
      types.value = [...WEBHOOK_EVENT_TYPES]
      state.saved.value = false
      onCreated(endpoint)
    }
  }
  const errors = state.errors.value
  return (
    <form class="add-endpoint" onSubmit={submit} noValidate>
      <h3>{m.add}</h3>
      <Field id="webhook-url" label={m.url} hint={m.urlHint} error={errors.url}>
        {(a11y) => (
          <input
            {...a11y}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="https://shop.example/hooks/redress"
            value={url.value}
            onInput={(event) => {
              url.value = (event.target as HTMLInputElement).value
            }}
          />
        )}
      </Field>
      <fieldset class="types" aria-describedby="webhook-types-error">
        <legend>{m.types}</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={types.value.includes(type)}
              onChange={(event) => {
                const on = (event.target as HTMLInputElement).checked
                types.value = on
                  ? WEBHOOK_EVENT_TYPES.filter((t) => t === type || types.value.includes(t))
                  : types.value.filter((t) => t !== type)
              }}
            />{' '}
            <code>{type}</code> <span class="hint">{m.event[type]}</span>
          </label>
        ))}
        <p id="webhook-types-error" class="error">
          {errors.types}
        </p>
      </fieldset>
      <SaveRow state={state} label={m.addButton} />
    </form>
  )
}

function EndpointItem({
  endpoint,
  onDisabled,
}: {
  endpoint: WebhookEndpoint
  onDisabled: (endpoint: WebhookEndpoint) => void
}) {
  const m = settingsMessages.value.webhooks
  const open = useSignal(false)
  const confirming = useSignal(false)
  const busy = useSignal(false)
  const note = useSignal<{ error: boolean; text: string } | null>(null)
  const deliveries = useSignal<WebhookDelivery[] | null>(null)
  const logVersion = useSignal(0)
  const client = api.value

  useEffect(() => {
    if (!open.value || !client) return
    client
      .deliveries(endpoint.id)
      .then(({ items }) => {
        deliveries.value = items
      })
      .catch((error: unknown) => {
        note.value = { error: true, text: failureText(error) }
      })
  }, [open.value, logVersion.value, client, endpoint.id])

  const act = async (action: () => Promise<unknown>, done: string) => {
    busy.value = true
    note.value = null
    try {
      await action()
      note.value = { error: false, text: done }
      return true
    } catch (error) {
      note.value = { error: true, text: failureText(error) }
      return false
    } finally {
      busy.value = false
    }
  }

  const logId = `log-${endpoint.id}`
  return (
    <li class={endpoint.enabled ? 'endpoint' : 'endpoint disabled'}>
      <p class="endpoint-url">
        <code>{endpoint.url}</code>
      </p>
      <p class="hint">
        {endpoint.types.join(', ')} · {fill(m.created, { at: formatDateTime(endpoint.createdAt) })}
      </p>
      <p class={endpoint.enabled ? 'ok' : 'warn'}>
        {endpoint.enabled ? m.enabled : fill(m.disabled, { reason: endpoint.disabledReason ?? '' })}
      </p>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={busy.value || !endpoint.enabled || !client}
          onClick={async () => {
            if (await act(() => client!.testWebhook(endpoint.id), m.testSent)) {
              open.value = true
              logVersion.value++
            }
          }}
        >
          {m.test}
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={open.value}
          aria-controls={logId}
          onClick={() => {
            open.value = !open.value
          }}
        >
          {open.value ? m.hideLog : m.showLog}
        </button>
        {endpoint.enabled &&
          (confirming.value ? (
            <ConfirmPair
              label={m.confirmDisable}
              busy={busy.value}
              onConfirm={async () => {
                confirming.value = false
                let next: WebhookEndpoint | undefined
                if (
                  await act(async () => {
                    next = await client!.disableWebhook(endpoint.id)
                  }, m.disabledNow)
                )
                  onDisabled(next!)
              }}
              onCancel={() => {
                confirming.value = false
              }}
            />
          ) : (
            <button
              type="button"
              class="link danger"
              onClick={() => {
                confirming.value = true
              }}
            >
              {m.disable}
            </button>
          ))}
      </div>
      <p role="status" class={note.value?.error ? 'error' : 'saved'}>
        {note.value?.text}
      </p>
      {open.value && (
        <div id={logId} class="delivery-log">
          <div class="log-head">
            <h3>{m.log}</h3>
            <button
              type="button"
              class="link"
              onClick={() => {
                logVersion.value++
              }}
            >
              {m.refresh}
            </button>
          </div>
          {deliveries.value === null ? (
            <p class="hint">{messages.value.common.loading}</p>
          ) : deliveries.value.length === 0 ? (
            <p class="hint">{m.noDeliveries}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.at}</th>
                    <th scope="col">{m.event.title}</th>
                    <th scope="col">{m.status}</th>
                    <th scope="col" class="num">
                      {m.attempts}
                    </th>
                    <th scope="col">{m.lastResult}</th>
                    <th scope="col">
                      <span class="visually-hidden">{m.replay}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.value.map((delivery) => (
                    <tr key={delivery.id}>
                      <td>{formatDateTime(delivery.createdAt)}</td>
                      <td>
                        <code>{delivery.type}</code>
                      </td>
                      <td>
                        <span class={`status ${delivery.status}`}>
                          {m.deliveryStatus[delivery.status] ?? delivery.status}
                        </span>
                        {delivery.status === 'pending' && (
                          <span class="hint">
                            {' '}
                            {fill(m.nextAttempt, { at: formatDateTime(delivery.nextAttemptAt) })}
                          </span>
                        )}
                        {delivery.deliveredAt && (
                          <span class="hint"> {formatDateTime(delivery.deliveredAt)}</span>
                        )}
                      </td>
                      <td class="num">{delivery.attempts}</td>
                      <td class="last-error">
                        {delivery.lastStatus !== null && <code>HTTP {delivery.lastStatus}</code>}{' '}
                        {delivery.lastError}
                      </td>
                      <td>
                        <button
                          type="button"
                          class="link"
                          disabled={busy.value || !endpoint.enabled}
                          onClick={async () => {
                            if (await act(() => client!.replayDelivery(delivery.id), m.replayed))
                              logVersion.value++
                          }}
                        >
                          {m.replay}
                          <span class="visually-hidden"> {delivery.id}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </li>
  )
}
