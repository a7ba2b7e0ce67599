/**
 * @module Known-issue notices (`/v1/admin/notices`): what the owner tells
 * customers about a problem before they report it (preventive recovery). The
 * notices running, upcoming and ended, each with its words, pages, times and
 * level; an editor for a new or a stored one (a message per language, the
 * level, the page pattern with a path to try it on, start and end in the
 * browser's time zone, and a preview per language as the widget shows it);
 * Publish, Save, End now and Delete (asked once more). Opened from an
 * early-warning alert (`#/settings?notice-from=alt_…`), the editor starts
 * with the alert's words in both languages.
 */
import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { fill, formatDateTime, LOCALES as LANGUAGE_NAMES, messages } from '../i18n'
import { type SettingsMessages, settingsMessages } from '../i18n/settings'
import { alertText } from '../inbox/Alerts'
import { AdminApiError, failureText } from '../lib/errors'
import { api, route, routeHref } from '../lib/state'
import type { AlertView, NoticeView, SiteView } from '../lib/types'
import {
  createBody,
  draftFromAlert,
  draftOf,
  groupNotices,
  LOCALES,
  NOTICE_LIMITS,
  NOTICE_STATES,
  type NoticeDraft,
  type NoticeLevel,
  type NoticeState,
  newDraft,
  noticeFields,
  noticePatch,
  pageMatches,
  pathOf,
  placeNoticeError,
  shownMessage,
} from './_notices-data'
import {
  ConfirmPair,
  Field,
  type FormState,
  runSave,
  SaveRow,
  Section,
  useFormState,
} from './_settings-form'

type NoticeMessages = SettingsMessages['notices']

/** The editor's notice: a stored one to change, or a new one (perhaps answering an alert). */
interface Editing {
  notice: NoticeView | null
  draft: NoticeDraft
  /** The alert a new notice answers, to say which; `undefined` when it could not be found. */
  alert?: AlertView | undefined
}

const LEVELS: readonly NoticeLevel[] = ['info', 'warning']
const WRITE_ID = 'notice-write'
const FIRST_FIELD_ID = `notice-message-${LOCALES[0]}`

const focusSoon = (find: () => HTMLElement | null | undefined) =>
  requestAnimationFrame(() => find()?.focus())

/** The address without `?notice-from=`, so that a reload does not draft the same notice again. */
function leaveAlertRoute() {
  const current = route.peek()
  if (current.name !== 'settings' || !current.noticeFrom) return
  history.replaceState(history.state, '', routeHref({ name: 'settings' }))
  route.value = { name: 'settings' }
}

export function Notices({
  site,
  noticeFrom,
  onChange,
}: {
  site: SiteView
  /** The alert to draft a new notice from, as the address names it. */
  noticeFrom?: string | undefined
  /** A notice was published, changed or deleted: the audit trail has a new entry. */
  onChange: () => void
}) {
  const m = settingsMessages.value.notices
  const client = api.value
  const items = useSignal<NoticeView[] | null>(null)
  const loadError = useSignal<string | null>(null)
  const editing = useSignal<Editing | null>(null)
  const note = useSignal('')
  const state = useFormState()

  useEffect(() => {
    client
      ?.notices()
      .then((page) => {
        items.value = page.items
        loadError.value = null
      })
      .catch((caught: unknown) => {
        loadError.value = failureText(caught)
      })
  }, [client])

  const open = (next: Editing) => {
    state.errors.value = {}
    state.formError.value = null
    state.saved.value = false
    note.value = ''
    editing.value = next
    focusSoon(() => document.getElementById(FIRST_FIELD_ID))
  }
  const close = () => {
    editing.value = null
    leaveAlertRoute()
    focusSoon(() => document.getElementById(WRITE_ID))
  }

  // From an alert's "Publish a notice": the alert's words, once it is found among the latest.
  useEffect(() => {
    if (!noticeFrom || !client) return
    let current = true
    const draft = (alert: AlertView | undefined) => {
      if (current)
        open({ notice: null, draft: draftFromAlert(noticeFrom, alert, site, new Date()), alert })
    }
    client.alerts({ limit: 100 }).then(
      (page) => draft(page.items.find((alert) => alert.id === noticeFrom)),
      // The server still knows the alert: a general sentence, answering it all the same.
      () => draft(undefined),
    )
    return () => {
      current = false
    }
  }, [client, noticeFrom])

  /** Put the server's answer in the list: a new one first, a changed one where it was. */
  const stored = (view: NoticeView) => {
    const list = items.value ?? []
    items.value = list.some((item) => item.id === view.id)
      ? list.map((item) => (item.id === view.id ? view : item))
      : [view, ...list]
    onChange()
  }

  const current = editing.value
  const now = Date.now()
  const groups = groupNotices(items.value ?? [], now)
  return (
    <Section name="notices" title={m.title} hint={m.hint}>
      <p class="hint">{m.shows}</p>
      <p class="saved" role="status">
        {note.value}
      </p>
      {current ? (
        <NoticeEditor
          key={current.notice?.id ?? 'new'}
          editing={current}
          site={site}
          state={state}
          onDraft={(draft) => {
            editing.value = { ...current, draft }
          }}
          onSaved={(view) => {
            stored(view)
            note.value = current.notice ? m.saved : m.published
            close()
          }}
          onCancel={close}
        />
      ) : (
        <button
          type="button"
          id={WRITE_ID}
          class="secondary"
          onClick={() => open({ notice: null, draft: newDraft(new Date()) })}
        >
          {m.write}
        </button>
      )}
      {loadError.value ? (
        <p class="error">{loadError.value}</p>
      ) : items.value === null ? (
        <p class="hint">{messages.value.common.loading}</p>
      ) : items.value.length === 0 ? (
        <p class="hint">{m.none}</p>
      ) : (
        NOTICE_STATES.filter((name) => groups[name].length > 0).map((name) => (
          <div key={name} class="notice-group">
            <h3 id={`notices-${name}`}>{m.groups[name]}</h3>
            <ul class="notices" aria-labelledby={`notices-${name}`}>
              {groups[name].map((notice) => (
                <NoticeItem
                  key={notice.id}
                  notice={notice}
                  state={name}
                  onEdit={() => open({ notice, draft: draftOf(notice) })}
                  onEnded={(view) => {
                    stored(view)
                    note.value = m.ended
                    // It moved to the ended ones: focus follows it there.
                    focusSoon(() =>
                      document.querySelector<HTMLElement>(`[data-notice="${view.id}"] button`),
                    )
                  }}
                  onRemoved={() => {
                    items.value = (items.value ?? []).filter((item) => item.id !== notice.id)
                    if (editing.value?.notice?.id === notice.id) editing.value = null
                    note.value = m.removed
                    onChange()
                    focusSoon(() => document.getElementById(WRITE_ID))
                  }}
                />
              ))}
            </ul>
          </div>
        ))
      )}
    </Section>
  )
}

/** When it shows: "Since 4 Dec 2026, 10:00 · until you end it", "Ran from … to …". */
function timesOf(notice: NoticeView, state: NoticeState, m: NoticeMessages): string {
  const start = formatDateTime(notice.startsAt)
  if (state === 'ended')
    return fill(m.ran, { start, end: formatDateTime(notice.endsAt ?? notice.startsAt) })
  const end =
    notice.endsAt === null ? m.noEnd : fill(m.ends, { time: formatDateTime(notice.endsAt) })
  return `${fill(state === 'running' ? m.since : m.starts, { time: start })} · ${end}`
}

function NoticeItem({
  notice,
  state,
  onEdit,
  onEnded,
  onRemoved,
}: {
  notice: NoticeView
  state: NoticeState
  onEdit: () => void
  onEnded: (view: NoticeView) => void
  onRemoved: () => void
}) {
  const m = settingsMessages.value.notices
  const client = api.value
  const busy = useSignal(false)
  const confirming = useSignal(false)
  const error = useSignal<string | null>(null)
  const whatId = `notice-${notice.id}-what`

  const act = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    if (!client) return undefined
    busy.value = true
    error.value = null
    try {
      return await action()
    } catch (caught) {
      error.value = failureText(caught)
      return undefined
    } finally {
      busy.value = false
    }
  }

  return (
    <li class={`notice notice-${notice.level}`} data-notice={notice.id}>
      <p class="notice-badges">
        <span class={`badge notice-level-${notice.level}`}>{m.levels[notice.level]}</span>
        {notice.alertId !== null && <span class="badge">{m.fromAlert}</span>}
      </p>
      <div id={whatId} class="notice-messages">
        {LOCALES.filter((locale) => notice.messages[locale]).map((locale) => (
          <p key={locale}>
            <span class="hint">{LANGUAGE_NAMES[locale]}: </span>
            <span lang={locale}>{notice.messages[locale]}</span>
          </p>
        ))}
      </div>
      <p class="hint">
        {notice.page === null ? m.everyPage : fill(m.onPages, { page: notice.page })} ·{' '}
        {timesOf(notice, state, m)}
      </p>
      <div class="actions">
        <button type="button" class="secondary" aria-describedby={whatId} onClick={onEdit}>
          {m.edit}
        </button>
        {/* An upcoming notice cannot end before it starts (the server wants the end after
            the start): deleting it is how it is called off. */}
        {state === 'running' && (
          <button
            type="button"
            class="secondary"
            aria-describedby={whatId}
            disabled={busy.value}
            onClick={async () => {
              const view = await act(() =>
                client!.patchNotice(notice.id, { endsAt: new Date().toISOString() }),
              )
              if (view) onEnded(view)
            }}
          >
            {m.endNow}
          </button>
        )}
        {confirming.value ? (
          <ConfirmPair
            label={m.confirmRemove}
            busy={busy.value}
            describedBy={whatId}
            onConfirm={async () => {
              confirming.value = false
              const done = await act(async () => {
                await client!.deleteNotice(notice.id)
                return true
              })
              if (done) onRemoved()
            }}
            onCancel={() => {
              confirming.value = false
            }}
          />
        ) : (
          <button
            type="button"
            class="link danger"
            aria-describedby={whatId}
            onClick={() => {
              confirming.value = true
              error.value = null
            }}
          >
            {m.remove}
          </button>
        )}
      </div>
      <p class="error" role="status">
        {error.value}
      </p>
    </li>
  )
}

function NoticeEditor({
  editing,
  site,
  state,
  onDraft,
  onSaved,
  onCancel,
}: {
  editing: Editing
  site: SiteView
  state: FormState
  onDraft: (draft: NoticeDraft) => void
  onSaved: (view: NoticeView) => void
  onCancel: () => void
}) {
  const m = settingsMessages.value.notices
  const client = api.value
  const tried = useSignal('')
  const { draft, notice, alert } = editing
  const set = (change: Partial<NoticeDraft>) => onDraft({ ...draft, ...change })
  const value = (event: Event) => (event.target as HTMLInputElement | HTMLTextAreaElement).value

  const submit = async (event: Event) => {
    event.preventDefault()
    const now = Date.now()
    const { fields, problems } = noticeFields(draft, now)
    const words = Object.fromEntries(
      Object.entries(problems).map(([key, problem]) => [
        key,
        fill(m[problem], {
          max: key === 'page' ? NOTICE_LIMITS.page : NOTICE_LIMITS.message,
        }),
      ]),
    )
    const saved = await runSave(
      state,
      () => {
        if (!client) throw new AdminApiError(0, 'network', 'Signed out')
        return notice
          ? client.patchNotice(notice.id, noticePatch(fields, draft, notice, now))
          : client.createNotice(createBody(fields, draft.alertId))
      },
      placeNoticeError,
      words,
    )
    if (saved) onSaved(saved)
  }

  const errors = state.errors.value
  const path = pathOf(tried.value)
  const page = draft.page.trim() || null
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return (
    <form class="notice-editor" aria-labelledby="notice-editor-title" onSubmit={submit} noValidate>
      <h3 id="notice-editor-title">{notice ? m.editTitle : m.newTitle}</h3>
      {draft.alertId !== null && (
        <p class="hint">
          {alert ? fill(m.fromAlertWhat, { what: alertText(alert, site) }) : m.fromAlert}
        </p>
      )}
      <div class="grid-form">
        <p class="hint wide">{m.messagesHint}</p>
        {LOCALES.map((locale) => (
          <Field
            key={locale}
            id={`notice-message-${locale}`}
            label={fill(m.message, { language: LANGUAGE_NAMES[locale] })}
            hint={fill(m.messageHint, { max: NOTICE_LIMITS.message })}
            // "Write at least one" belongs to both.
            error={errors[`messages.${locale}`] ?? errors.messages}
          >
            {(a11y) => (
              <textarea
                {...a11y}
                lang={locale}
                rows={3}
                maxLength={NOTICE_LIMITS.message}
                value={draft.messages[locale]}
                onInput={(event) =>
                  set({ messages: { ...draft.messages, [locale]: value(event) } })
                }
              />
            )}
          </Field>
        ))}
        <fieldset class="choice wide">
          <legend>{m.level}</legend>
          {LEVELS.map((level) => (
            <label key={level}>
              <input
                type="radio"
                name="notice-level"
                value={level}
                checked={draft.level === level}
                onChange={() => set({ level })}
              />{' '}
              {m.levelChoices[level]}
            </label>
          ))}
        </fieldset>
        <Field id="notice-page" class="wide" label={m.page} hint={m.pageHint} error={errors.page}>
          {(a11y) => (
            <input
              {...a11y}
              maxLength={NOTICE_LIMITS.page}
              autoComplete="off"
              spellcheck={false}
              placeholder="/checkout"
              value={draft.page}
              onInput={(event) => set({ page: value(event) })}
            />
          )}
        </Field>
        <Field id="notice-try" label={m.tryPath} hint={m.tryHint}>
          {(a11y) => (
            <input
              {...a11y}
              aria-describedby={`${a11y['aria-describedby']} notice-try-result`}
              autoComplete="off"
              spellcheck={false}
              placeholder="/checkout/pay"
              value={tried.value}
              onInput={(event) => {
                tried.value = value(event)
              }}
            />
          )}
        </Field>
        <p id="notice-try-result" class="path-result" role="status">
          {path ? fill(pageMatches(page, path) ? m.matches : m.noMatch, { path }) : ''}
        </p>
        <Field
          id="notice-starts"
          label={m.startsAt}
          hint={fill(m.startsHint, { zone })}
          error={errors.startsAt}
        >
          {(a11y) => (
            <input
              {...a11y}
              type="datetime-local"
              value={draft.startsAt}
              onInput={(event) => set({ startsAt: value(event) })}
            />
          )}
        </Field>
        <Field id="notice-ends" label={m.endsAt} hint={m.endsHint} error={errors.endsAt}>
          {(a11y) => (
            <input
              {...a11y}
              type="datetime-local"
              value={draft.endsAt}
              onInput={(event) => set({ endsAt: value(event) })}
            />
          )}
        </Field>
      </div>
      <NoticePreview draft={draft} />
      <SaveRow state={state} label={notice ? messages.value.common.save : m.publish} />
      <div>
        <button type="button" class="link" onClick={onCancel}>
          {messages.value.common.cancel}
        </button>
      </div>
    </form>
  )
}

/** Each language's customer, and what the widget would show them: their message, or the one standing in. */
function NoticePreview({ draft }: { draft: NoticeDraft }) {
  const m = settingsMessages.value.notices
  return (
    <section class="notice-preview" aria-labelledby="notice-preview-title">
      <h4 id="notice-preview-title">{m.preview}</h4>
      <p class="hint">{m.previewHint}</p>
      <ul class="preview-cards">
        {LOCALES.map((locale) => {
          const shown = shownMessage(draft.messages, locale)
          const language = LANGUAGE_NAMES[locale]
          return (
            <li key={locale}>
              <p class="hint">
                {!shown
                  ? fill(m.previewNone, { language })
                  : shown.locale === locale
                    ? fill(m.previewOwn, { language })
                    : fill(m.previewOther, { language, other: LANGUAGE_NAMES[shown.locale] })}
              </p>
              {shown && (
                <div class={`preview-card notice-card notice-${draft.level}`} lang={shown.locale}>
                  <p>{shown.text}</p>
                </div>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
