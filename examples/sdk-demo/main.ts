import { type ComplaintDraft, createRedress, isValidationError, type Recovery } from '@redress/sdk'
import { httpAdapter } from '@redress/sdk/http'

const redress = createRedress({
  site: 'pk_demo',
  adapter: httpAdapter({ endpoint: location.origin }),
  metadata: { demo: true },
})

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T
const form = $<HTMLFormElement>('#complaint')
const errors = $<HTMLParagraphElement>('#errors')
const answers = $<HTMLUListElement>('#answers')
const pending = $<HTMLOutputElement>('#pending')
const log = $<HTMLOListElement>('#log')

// Customer text is shown as text, never as HTML.
const say = (list: HTMLElement, text: string, testId?: string) => {
  const item = document.createElement('li')
  item.textContent = text
  if (testId) item.dataset.testid = testId
  list.append(item)
}

const describe = (recovery: Recovery) => {
  switch (recovery.kind) {
    case 'coupon':
      return `Coupon ${recovery.code}: ${recovery.label}`
    case 'refund':
      return `Refund of ${(recovery.amount.value / 100).toFixed(2)} ${recovery.amount.currency}: ${recovery.message}`
    case 'escalation':
      return `${recovery.message}${recovery.contactWithin ? ` (within ${recovery.contactWithin})` : ''}`
    default:
      return recovery.message
  }
}

const refresh = () => {
  pending.value = String(redress.pending().length)
}

for (const type of [
  'ready',
  'complaint:submitted',
  'complaint:queued',
  'complaint:sent',
  'complaint:failed',
  'recovery:offered',
] as const) {
  redress.on(type, (event) => {
    say(
      log,
      `${type} ${JSON.stringify(event, (key, value) => (key === 'respond' || key === 'complaint' ? undefined : value))}`,
    )
    refresh()
  })
}

// Host code answers at once with an apology; the server's policy may add a remedy.
redress.on('complaint:submitted', ({ respond }) => {
  respond.apology({ message: "We're sorry this happened. Thank you for telling us; we're on it." })
})
redress.on('recovery:offered', ({ recovery }) => say(answers, describe(recovery), 'answer'))
redress.on('complaint:queued', ({ retryIn }) =>
  say(
    answers,
    retryIn === null
      ? "You're offline: we kept your report and will send it when you're back."
      : 'We could not reach our server yet; your report is kept and will be sent shortly.',
    'queued',
  ),
)
redress.on('complaint:sent', ({ receipt }) =>
  say(answers, `Received. Your reference is ${receipt.reference}.`, 'reference'),
)
redress.on('complaint:failed', ({ error }) => {
  errors.textContent = `We could not send your report: ${error.message}`
})

form.addEventListener('submit', (event) => {
  event.preventDefault()
  errors.textContent = ''
  const data = new FormData(form)
  const text = (name: string) => String(data.get(name) ?? '').trim() || undefined
  const draft: ComplaintDraft = {
    category: String(data.get('category')),
    severity: data.get('severity') as ComplaintDraft['severity'],
    description: String(data.get('description') ?? ''),
    orderRef: text('orderRef'),
    contact: text('email') ? { email: text('email') } : undefined,
  }
  try {
    redress.submit(draft)
    form.reset()
  } catch (error) {
    if (!isValidationError(error)) throw error
    errors.textContent = error.issues.map((issue) => issue.message).join('. ')
  }
  refresh()
})

refresh()
