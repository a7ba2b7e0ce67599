/**
 * @module Handling a complaint: its owner ("whoever first takes it owns it";
 * taking it from someone asks first), its status, the root cause and whether
 * the recovery was appropriate. Each change is saved at once; an error shows
 * beside the control that caused it (a `403` in the server's words). A
 * person signed in takes a complaint as themselves (`assignee: 'me'`); with a
 * token, the name typed here stands for whoever works at this browser.
 */
import { useSignal } from '@preact/signals'
import { STATUSES } from '@redress/protocol'
import { fill, messages } from '../i18n'
import { errorCode, errorText } from '../lib/errors'
import { api, can, me } from '../lib/state'
import {
  type ComplaintDetail,
  type ComplaintPatch,
  ROOT_CAUSES,
  type TeamMember,
} from '../lib/types'
import { myName, setMyName } from './_my-name'

type Control = 'owner' | 'status' | 'rootCause' | 'appropriate'

/** Whether `person` owns the complaint (by id: two people may share a name). */
const ownedBy = (detail: ComplaintDetail, person: TeamMember): boolean =>
  detail.assigneeId === person.id

export function Handling({
  detail,
  onChange,
  onStale,
}: {
  detail: ComplaintDetail
  /** The complaint as the server answered a change. */
  onChange: (detail: ComplaintDetail) => void
  /** Something changed elsewhere (someone took it first): read it again. */
  onStale: () => Promise<ComplaintDetail | null>
}) {
  const m = messages.value.complaint
  const inbox = messages.value.inbox
  const client = api.value!
  const busy = useSignal<Control | null>(null)
  const errors = useSignal<Partial<Record<Control, string>>>({})
  const saved = useSignal<Control | null>(null)
  const reassigning = useSignal(false)
  const newOwner = useSignal('')
  // What was chosen but not saved, so a failure keeps the choice on screen.
  const tried = useSignal<Partial<Record<Control, string>>>({})

  const save = async (control: Control, changes: ComplaintPatch, choice?: string) => {
    busy.value = control
    saved.value = null
    errors.value = { ...errors.value, [control]: undefined }
    tried.value = { ...tried.value, [control]: choice }
    try {
      onChange(await client.patch(detail.id, changes))
      tried.value = { ...tried.value, [control]: undefined }
      saved.value = control
      return true
    } catch (caught) {
      let text = errorText(caught)
      const code = errorCode(caught)
      // Refused because someone owns it now: show who, whatever this screen still says.
      if (control === 'owner' && (code === 'conflict' || code === 'forbidden')) {
        const fresh = await onStale()
        if (code === 'conflict' && fresh?.assignee)
          text = fill(m.takenFirst, { owner: fresh.assignee })
      }
      errors.value = { ...errors.value, [control]: text }
      return false
    } finally {
      busy.value = null
    }
  }

  const person = me.value
  // A viewer reads; nothing here changes for them.
  const locked = !can('handle')

  const take = () => {
    if (person) {
      void save('owner', { assignee: 'me' })
      return
    }
    const name = myName.value.trim()
    if (!name) {
      errors.value = { ...errors.value, owner: m.nameNeeded }
      document.getElementById('my-name')?.focus()
      return
    }
    void save('owner', { assignee: name })
  }

  const reassign = async (event: Event) => {
    event.preventDefault()
    const name = newOwner.value.trim()
    if (!name) {
      errors.value = { ...errors.value, owner: m.nameNeeded }
      return
    }
    if (await save('owner', { assignee: name, force: true })) reassigning.value = false
  }

  const takeOver = async (event: Event) => {
    event.preventDefault()
    if (await save('owner', { assignee: 'me', force: true })) reassigning.value = false
  }

  const error = (control: Control) => (
    <p class="error" role="alert" id={`${control}-error`}>
      {errors.value[control]}
    </p>
  )
  const savedNote = (control: Control) =>
    saved.value === control ? (
      <span class="ok" role="status">
        {m.saved}
      </span>
    ) : null

  /** A select saved as soon as it changes, with its saved note and its error under it. */
  const selectGroup = <V extends string>({
    control,
    id,
    label,
    value,
    options,
    changes,
  }: {
    control: 'status' | 'rootCause'
    id: string
    label: string
    value: string
    /** `[value, text]` of each option, in order. */
    options: ReadonlyArray<readonly [V, string]>
    /** The PATCH body for a chosen value. */
    changes: (value: V) => ComplaintPatch
  }) => (
    <div class="group">
      <div class="field">
        <label for={id}>{label}</label>
        <select
          id={id}
          name={control}
          value={value}
          disabled={locked || busy.value === control}
          aria-describedby={`${control}-error`}
          onChange={(event) => {
            // One of `options`: the select offers nothing else.
            const chosen = (event.target as HTMLSelectElement).value as V
            void save(control, changes(chosen), chosen)
          }}
        >
          {options.map(([option, text]) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {savedNote(control)}
      {error(control)}
    </div>
  )

  const status = tried.value.status ?? detail.status
  const rootCause = tried.value.rootCause ?? detail.rootCause ?? ''
  const appropriate =
    tried.value.appropriate ??
    (detail.recoveryAppropriate === null ? '' : String(detail.recoveryAppropriate))

  return (
    <section class="card handling" aria-labelledby="handling-title">
      <h2 id="handling-title">{m.handling}</h2>

      <div class="group">
        <h3 id="owner-title">{m.owner}</h3>
        {person ? (
          <PersonOwner
            detail={detail}
            person={person}
            locked={locked}
            mayTakeOver={can('approve')}
            busy={busy.value === 'owner'}
            reassigning={reassigning.value}
            onTake={take}
            onLetGo={() => void save('owner', { assignee: null })}
            onAsk={(asking) => {
              reassigning.value = asking
              errors.value = { ...errors.value, owner: undefined }
            }}
            onTakeOver={takeOver}
          />
        ) : (
          <>
            <p class="owner">
              {detail.assignee ? fill(m.ownedBy, { name: detail.assignee }) : m.noOwner}
            </p>
            <div class="field">
              <label for="my-name">{m.you}</label>
              <input
                id="my-name"
                aria-describedby="my-name-hint owner-error"
                type="text"
                name="name"
                autoComplete="name"
                maxLength={200}
                value={myName.value}
                onInput={(event) => setMyName((event.target as HTMLInputElement).value)}
              />
              <span id="my-name-hint" class="hint">
                {m.youHint}
              </span>
            </div>
            <div class="actions">
              {!detail.assignee && (
                <button type="button" disabled={busy.value === 'owner'} onClick={take}>
                  {m.takeIt}
                </button>
              )}
              {detail.assignee && !reassigning.value && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    newOwner.value = myName.value.trim()
                    reassigning.value = true
                    errors.value = { ...errors.value, owner: undefined }
                  }}
                >
                  {m.changeOwner}
                </button>
              )}
            </div>
            {detail.assignee && reassigning.value && (
              <form class="confirm" onSubmit={reassign} aria-labelledby="reassign-question">
                <p id="reassign-question" class="warn">
                  {fill(m.confirmReassign, { owner: detail.assignee })}
                </p>
                <label class="field">
                  <span>{m.newOwner}</span>
                  <input
                    type="text"
                    name="newOwner"
                    maxLength={200}
                    value={newOwner.value}
                    onInput={(event) => {
                      newOwner.value = (event.target as HTMLInputElement).value
                    }}
                  />
                </label>
                <div class="actions">
                  <button type="submit" disabled={busy.value === 'owner'}>
                    {m.reassign}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      reassigning.value = false
                    }}
                  >
                    {messages.value.common.cancel}
                  </button>
                </div>
              </form>
            )}
          </>
        )}
        {error('owner')}
      </div>

      {selectGroup({
        control: 'status',
        id: 'handling-status',
        label: m.status,
        value: status,
        options: STATUSES.map((name) => [name, inbox.statuses[name]] as const),
        changes: (value) => ({ status: value }),
      })}

      {selectGroup({
        control: 'rootCause',
        id: 'handling-root-cause',
        label: m.rootCause,
        value: rootCause,
        options: [
          ['', m.notDiagnosed],
          ...ROOT_CAUSES.map((cause) => [cause, m.rootCauses[cause]] as const),
        ],
        changes: (value) => ({ rootCause: value || null }),
      })}

      <fieldset class="group choice" aria-describedby="appropriate-error">
        <legend>{m.appropriate}</legend>
        {(
          [
            ['true', m.yes],
            ['false', m.no],
            ['', m.notAssessed],
          ] as const
        ).map(([value, text]) => (
          <label key={value} class="radio">
            <input
              type="radio"
              name="recoveryAppropriate"
              value={value}
              checked={appropriate === value}
              disabled={locked || busy.value === 'appropriate'}
              onChange={() =>
                void save(
                  'appropriate',
                  { recoveryAppropriate: value === '' ? null : value === 'true' },
                  value,
                )
              }
            />
            <span>{text}</span>
          </label>
        ))}
      </fieldset>
      {savedNote('appropriate')}
      {error('appropriate')}
    </section>
  )
}

/**
 * The owner, for a person signed in: take a free complaint, let go of one's
 * own, or take over someone else's after saying yes (a manager's call: the
 * server's `403` tells anyone else so).
 */
function PersonOwner({
  detail,
  person,
  locked,
  mayTakeOver,
  busy,
  reassigning,
  onTake,
  onLetGo,
  onAsk,
  onTakeOver,
}: {
  detail: ComplaintDetail
  person: TeamMember
  locked: boolean
  /** Taking one someone else owns is a manager's: an agent asks one. */
  mayTakeOver: boolean
  busy: boolean
  reassigning: boolean
  onTake: () => void
  onLetGo: () => void
  onAsk: (asking: boolean) => void
  onTakeOver: (event: Event) => void
}) {
  const m = messages.value.complaint
  const owner = detail.assignee
  const mine = owner !== null && ownedBy(detail, person)
  return (
    <>
      <p class="owner">
        {!owner ? m.noOwner : mine ? m.ownedByYou : fill(m.ownedBy, { name: owner })}
      </p>
      {!locked && (
        <div class="actions">
          {!owner && (
            <button type="button" disabled={busy} onClick={onTake}>
              {m.takeIt}
            </button>
          )}
          {mine && (
            <button type="button" class="secondary" disabled={busy} onClick={onLetGo}>
              {m.letGo}
            </button>
          )}
          {owner && !mine && !reassigning && mayTakeOver && (
            <button type="button" class="secondary" onClick={() => onAsk(true)}>
              {m.takeOver}
            </button>
          )}
          {owner && !mine && !mayTakeOver && <p class="hint">{m.askManager}</p>}
        </div>
      )}
      {owner && !mine && reassigning && (
        <form class="confirm" onSubmit={onTakeOver} aria-labelledby="take-over-question">
          <p id="take-over-question" class="warn">
            {fill(m.confirmTakeOver, { owner })}
          </p>
          <div class="actions">
            <button type="submit" disabled={busy}>
              {m.yesTakeOver}
            </button>
            <button type="button" class="secondary" onClick={() => onAsk(false)}>
              {messages.value.common.cancel}
            </button>
          </div>
        </form>
      )}
    </>
  )
}
