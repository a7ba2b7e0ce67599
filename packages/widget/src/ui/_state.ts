// One widget's state and everything that changes it: SDK events come in
// here and SDK calls go out from here, so components only render.
import { LIMITS } from '@redress/protocol'
import type {
  Complaint,
  FollowUp,
  Notice,
  Receipt,
  Recovery,
  RedressError,
  Reply,
  Status,
} from '@redress/sdk'
import { isValidationError } from '@redress/sdk'
import type { Photo } from '../picker'
import { fill } from './_format'
import type { MountOptions } from './index'

/** The form's fields as typed; `website` is the honeypot. */
export interface Draft {
  category: string
  severity: string
  description: string
  orderRef: string
  email: string
  name: string
  website: string
}
export type Field = keyof Draft

/** The complaint sent from this form, and how far it got. */
export interface Sent {
  id: string
  stage: 'sending' | 'retrying' | 'offline' | 'sent' | 'failed'
  receipt?: Receipt
  error?: RedressError & { field?: string }
}

/** A remedy, and the complaint it answers (none: the page). */
export interface Offer {
  id?: string
  recovery: Recovery
}

export type Answers = Partial<
  Pick<FollowUp, 'score' | 'resolved'> & NonNullable<FollowUp['fairness']>
>

const blank = (): Draft => ({
  category: '',
  severity: '',
  description: '',
  orderRef: '',
  email: '',
  name: '',
  website: '',
})

let count = 0

/** A piece of state the UI shows; setting a different value redraws it. */
export interface Cell<T> {
  value: T
}

export type State = ReturnType<typeof createState>

/**
 * One widget's state; `watch` names what redraws the UI when any of it
 * changes, and `off()` unsubscribes it from the SDK.
 */
export function createState(options: MountOptions) {
  const { redress, messages: m } = options
  let changed = () => {}
  // The UI is one small tree, so any change redraws all of it: these few
  // lines instead of @preact/signals, which weighed 2.7 KB gzipped.
  const cell = <T>(initial: T): Cell<T> => {
    let current = initial
    return {
      get value() {
        return current
      },
      set value(next) {
        if (next !== current) {
          current = next
          changed()
        }
      },
    }
  }
  const open = cell(false)
  const view = cell<'form' | 'done'>('form')
  const draft = cell(blank())
  const errors = cell<Partial<Record<Field | 'form', string>>>({})
  const live = cell('')
  // Bumped to move focus to the first invalid (or first) field once rendered.
  const focus = cell(0)
  const sent = cell<Sent | null>(null)
  const offers = cell<Offer[]>([])
  const taken = cell<Recovery[]>([])
  const status = cell<Status | undefined>(undefined)
  // The owner's replies, as the last status check found them.
  const replies = cell<Reply[]>([])
  const checking = cell<'' | 'busy' | 'error'>('')
  const answers = cell<Answers>({})
  const answered = cell<'' | 'busy' | 'error' | 'missing' | 'done'>('')
  const notices = cell<Notice[]>([])
  // The photos chosen for the complaint being written, and the picker once loaded.
  const photos = cell<Photo[]>([])
  const picker = cell<typeof import('../picker') | undefined>(undefined)
  let choose = false
  // Picking up where an earlier page left off: the receipt, its status, its follow-up.
  const { resume } = options
  if (resume) {
    sent.value = { id: resume.id, stage: 'sent', receipt: { ...resume, recovery: null } }
    status.value = resume.status
    view.value = 'done'
  }
  let startedAt: number | undefined
  let began: number | undefined
  let mine = false
  // The category whose help link the customer opened since they last sent.
  let helped: string | undefined
  // What was sent last, for "Try again" should the backend refuse it.
  let last = blank()

  // A repeated message must be spoken again, so alternate a trailing no-break space.
  const say = (text: string) => {
    live.value = text + (live.value.endsWith('\u00a0') ? '' : '\u00a0')
  }

  const set = (field: Field, value: string) => {
    draft.value = { ...draft.value, [field]: value }
    errors.value = { ...errors.value, [field]: undefined }
  }

  const fail = (found: typeof errors.value) => {
    errors.value = found
    say(Object.values(found).join(' '))
    focus.value++
  }

  // A refusal names the field the SDK's way (`contact.email`); others are the form's.
  const refused = (field = '', message: string): typeof errors.value => {
    const name = field.replace('contact.', '')
    return name in draft.value
      ? { [name]: name === 'email' ? m.errors.email : m.errors.invalid }
      : { form: fill(m.failed, { error: message }) }
  }

  const again = () => {
    startedAt = Date.now()
    view.value = 'form'
  }

  const submit = () => {
    const d = draft.value
    const found: typeof errors.value = {}
    if (!d.category) found.category = m.errors.category
    if (!d.severity) found.severity = m.errors.severity
    if (!d.description.trim()) found.description = m.errors.description
    else if (d.description.length > LIMITS.description)
      found.description = fill(m.errors.tooLong, { n: LIMITS.description })
    if (Object.keys(found).length) return fail(found)
    const fillMs = Math.round(Date.now() - (startedAt ?? Date.now()))
    const trim = (value: string) => value.trim() || undefined
    offers.value = []
    last = d
    mine = true
    helped = undefined
    try {
      const { id } = redress.submit({
        category: d.category,
        severity: d.severity as Complaint['severity'],
        description: d.description,
        orderRef: trim(d.orderRef),
        contact: trim(d.email + d.name) ? { email: trim(d.email), name: trim(d.name) } : undefined,
        // Sent for the server to weigh, never acted on here: a false positive
        // would silence a real customer.
        signals: { honeypot: d.website.slice(0, LIMITS.honeypot), fillMs },
      })
      // Kept in the browser now, to upload once the complaint is accepted.
      if (photos.value.length) options.photos?.onSend(id, photos.value)
      photos.value = []
    } catch (error) {
      const found = {}
      for (const issue of isValidationError(error)
        ? error.issues
        : [{ message: (error as Error).message }])
        Object.assign(found, refused((issue as { field?: string }).field, issue.message))
      return fail(found)
    } finally {
      mine = false
    }
    // In the outbox now, so nothing the customer wrote can be lost: start afresh.
    draft.value = blank()
    errors.value = {}
    began = startedAt
    startedAt = undefined
  }

  // Back to the form with what the refused complaint said, to fix and send again.
  const retry = () => {
    const error = sent.value!.error!
    draft.value = last
    errors.value = error.field ? refused(error.field, error.message) : {}
    again()
    // The time taken is the first attempt's: fixing one field is quick, and not a bot's.
    startedAt = began
  }

  // Once per remedy, however often its code is copied.
  const accept = (offer: Offer) => {
    if (taken.value.includes(offer.recovery)) return
    redress.acceptRecovery(offer.recovery, offer.id ?? sent.value?.id)
    taken.value = [...taken.value, offer.recovery]
  }

  // Resolved anew (after a reopening), the customer is asked again.
  const track = (next: Status | undefined) => {
    if (next !== status.value) {
      answers.value = {}
      answered.value = ''
    }
    status.value = next
  }

  const copy = async (offer: Offer, code: HTMLElement | null) => {
    try {
      await navigator.clipboard.writeText((offer.recovery as { code: string }).code)
      say(m.copied)
    } catch {
      // No clipboard (plain http, old browser, permission denied): select it to copy by hand.
      getSelection()?.selectAllChildren(code!)
      say(m.selected)
    }
    accept(offer)
  }

  // The same remedy can come as an event and again in a status report.
  const add = (offer: Offer) => {
    const json = JSON.stringify(offer.recovery)
    if (!offers.value.some((other) => JSON.stringify(other.recovery) === json))
      offers.value = [...offers.value, offer]
  }

  const check = async () => {
    checking.value = 'busy'
    try {
      const report = await redress.status({ ...sent.value!.receipt!, status: status.value })
      track(report.status)
      replies.value = report.replies || []
      // Remedies an owner added later arrive only with the report.
      for (const recovery of report.recoveries) add({ id: sent.value?.id, recovery })
      checking.value = ''
    } catch {
      checking.value = 'error'
    }
  }

  const answer = async () => {
    const { score, resolved, ...fairness } = answers.value
    if (!score || resolved === undefined) {
      answered.value = 'missing'
      return say(m.followUp.missing)
    }
    answered.value = 'busy'
    try {
      await redress.followUp(sent.value!.receipt!, {
        score,
        resolved,
        fairness: Object.keys(fairness).length ? fairness : undefined,
      })
      answered.value = 'done'
      say(resolved ? m.followUp.thanks : m.followUp.reopened)
    } catch {
      answered.value = 'error'
      say(m.followUp.error)
    }
  }

  // Only the complaint sent from this form moves its progress.
  const progress = (id: string, change: Partial<Sent>) => {
    if (sent.value?.id === id) sent.value = { ...sent.value, ...change }
  }

  const offs = [
    redress.on('open', ({ category, orderRef }) => {
      if (category || orderRef) {
        if (view.value === 'done') again()
        if (options.categories.some((c) => c.id === category)) set('category', category!)
        if (orderRef) set('orderRef', orderRef)
      }
      startedAt ??= Date.now()
      open.value = true
      focus.value++
    }),
    redress.on('close', () => {
      open.value = false
      if (helped) options.onDeflect?.(helped)
      helped = undefined
    }),
    redress.on('complaint:submitted', ({ id }) => {
      // Only ours; and handled here rather than after `submit` returns, so the apology
      // shows before any delivery event, even one an adapter fires synchronously.
      if (!mine) return
      sent.value = { id, stage: 'sending' }
      track(undefined)
      replies.value = []
      view.value = 'done'
      say(m.apology)
    }),
    redress.on('complaint:queued', ({ id, retryIn }) =>
      progress(id, { stage: retryIn === null ? 'offline' : 'retrying' }),
    ),
    redress.on('complaint:sent', ({ id, receipt }) => {
      progress(id, { stage: 'sent', receipt })
      if (sent.value?.id === id) track(receipt.status)
      // One from an earlier page, delivered only now: the next opening shows its
      // reference, unless the customer has started writing another.
      else if (
        !sent.value &&
        !open.value &&
        JSON.stringify(draft.value) === JSON.stringify(blank())
      ) {
        sent.value = { id, stage: 'sent', receipt }
        track(receipt.status)
        view.value = 'done'
      }
    }),
    redress.on('complaint:failed', ({ id, error }) => progress(id, { stage: 'failed', error })),
    redress.on('recovery:offered', add),
    redress.on('status:changed', ({ report }) => {
      if (report.id === sent.value?.receipt?.id) track(report.status)
    }),
    redress.on('notice', (notice) => {
      notices.value = [
        ...notices.value.filter((other) => !notice.id || other.id !== notice.id),
        notice,
      ]
    }),
  ]

  return {
    options,
    m,
    uid: `rd${count++}-`,
    // Both built-in languages run left to right; a host's own table may not.
    dir: /^(ar|fa|he|ur)\b/i.test(options.locale) ? ('rtl' as const) : ('ltr' as const),
    open,
    view,
    draft,
    errors,
    live,
    focus,
    sent,
    offers,
    taken,
    status,
    replies,
    checking,
    answers,
    answered,
    notices,
    photos,
    picker,
    /** Load the photo picker (its code and styles), the first time the customer asks for it. */
    pickPhotos: () => {
      // The photos' outbox too: the complaint may well be sent offline.
      options.photos?.ready?.()
      return import('../picker').then(
        (module) => {
          options.adopt?.(module.css)
          choose = true
          picker.value = module
        },
        () => say(m.photoFailed),
      )
    },
    /** Whether the picker should open the file chooser as it appears: once, right after the ask. */
    choosing: () => {
      const now = choose
      choose = false
      return now
    },
    set,
    /** The customer opened one of this category's help links. */
    helpOpened: (category: string) => {
      helped = category
    },
    submit,
    retry,
    again,
    accept,
    copy,
    check,
    answer,
    watch: (redraw: () => void) => {
      changed = redraw
    },
    off: () => {
      for (const off of offs) off()
    },
  }
}
