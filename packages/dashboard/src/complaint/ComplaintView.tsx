/**
 * @module One complaint: everything the customer sent, its handling (owner,
 * status, root cause), its remedies (give one within the caps, approve or
 * reject those waiting), a reply, the follow-up answers, its mails and the
 * timeline.
 * Kept current by the live stream. Customer text is always rendered as text.
 * What the signed-in person's role may not do is not offered.
 */
import { useSignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { fill, formatDateTime, locale, messages } from '../i18n'
import { errorCode, errorText } from '../lib/errors'
import { useLive } from '../lib/live'
import { formatMoney } from '../lib/money'
import { categoryLabel, failureTypeOf, siteOf } from '../lib/site'
import { api, can } from '../lib/state'
import type { ComplaintDetail, SiteView } from '../lib/types'
import { Handling } from './Handling'
import { Mails } from './Mails'
import { Photos } from './Photos'
import { RemedyForm } from './RemedyForm'
import { RemedyList } from './RemedyList'
import { ReplyForm } from './ReplyForm'
import { Timeline } from './Timeline'
import './complaint.css'

/** A link only for http(s) addresses: a customer could send `javascript:…` as a page URL. */
function SafeLink({ href }: { href: string }) {
  let safe = false
  try {
    safe = ['http:', 'https:'].includes(new URL(href).protocol)
  } catch {}
  return safe ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {href}
    </a>
  ) : (
    <span>{href}</span>
  )
}

export function ComplaintView({ id }: { id: string }) {
  const m = messages.value.complaint
  const common = messages.value.common
  const client = api.value!
  const site = siteOf(client).value
  const detail = useSignal<ComplaintDetail | null>(null)
  const error = useSignal<{ text: string; notFound: boolean } | null>(null)
  // Bumped on every change to the complaint, so the caps are read again.
  const version = useSignal(0)
  const heading = useRef<HTMLHeadingElement>(null)
  const latest = useRef(0)

  const load = async (): Promise<ComplaintDetail | null> => {
    const mine = ++latest.current
    try {
      const fresh = await client.complaint(id)
      if (mine !== latest.current) return fresh
      detail.value = fresh
      error.value = null
      version.value++
      return fresh
    } catch (caught) {
      if (mine === latest.current)
        error.value = { text: errorText(caught), notFound: errorCode(caught) === 'not_found' }
      return null
    }
  }

  useEffect(() => {
    detail.value = null
    error.value = null
    void load().then((fresh) => {
      if (fresh) heading.current?.focus({ preventScroll: false })
    })
  }, [id, client])

  useLive((event) => {
    if (event.complaintId === id) void load()
  })

  const changed = (next: ComplaintDetail) => {
    detail.value = next
    version.value++
  }

  const back = (
    <a class="back" href="#/inbox">
      {m.back}
    </a>
  )

  const current = detail.value
  if (!current) {
    return (
      <article class="complaint" aria-busy={!error.value}>
        {back}
        {error.value ? (
          <div class="list-state">
            <p class="error" role="alert">
              {error.value.notFound ? m.notFound : error.value.text}
            </p>
            {!error.value.notFound && (
              <button type="button" onClick={() => void load()}>
                {common.retry}
              </button>
            )}
          </div>
        ) : (
          <p role="status">{common.loading}</p>
        )}
      </article>
    )
  }

  const inbox = messages.value.inbox
  const body = current.complaint
  const type = failureTypeOf(site, body.category)
  return (
    <article class="complaint" aria-labelledby="complaint-title">
      {back}
      <header class="complaint-head">
        <h1 id="complaint-title" tabIndex={-1} ref={heading}>
          {fill(m.title, { reference: current.reference })}
        </h1>
        <p class="chips">
          <span class={`chip status-${current.status}`}>{inbox.statuses[current.status]}</span>
          <span class={`chip sev sev-${body.severity}`}>{inbox.severities[body.severity]}</span>
          <span class={`type type-${type}`}>{inbox.failureTypes[type]}</span>
          <span>{categoryLabel(site, body.category)}</span>
          {current.verified ? (
            <span class="badge badge-verified">{inbox.badges.verified}</span>
          ) : (
            <span class="badge badge-unverified">{inbox.badges.unverified}</span>
          )}
        </p>
        {current.suspicion && <p class="warn">{m.suspicion[current.suspicion]}</p>}
        {error.value && (
          <p class="error" role="alert">
            {error.value.text}{' '}
            <button type="button" class="link" onClick={() => void load()}>
              {common.retry}
            </button>
          </p>
        )}
      </header>

      {/* One column on a narrow screen, in this order; beside it, handling is on the right. */}
      <div class="complaint-grid">
        <Sent detail={current} site={site} />
        <Photos detail={current} />
        <div class="complaint-side">
          <Handling detail={current} onChange={changed} onStale={load} />
          {current.guarantee && <Guarantee detail={current} />}
        </div>
        <RemedyList detail={current} onDecided={() => void load()} />
        {/* A viewer reads: nothing to give or send (the server would refuse it anyway). */}
        {can('handle') && (
          <RemedyForm id={current.id} version={version.value} onIssued={() => void load()} />
        )}
        {can('handle') && <ReplyForm id={current.id} onSent={() => void load()} />}
        <FollowUps detail={current} />
        {/* Only from a server with mail: one without leaves the field out. */}
        {current.mails && <Mails mails={current.mails} />}
        <Timeline detail={current} />
      </div>
    </article>
  )
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

/** Everything the customer sent, as they sent it. */
function Sent({ detail, site }: { detail: ComplaintDetail; site: SiteView | null }) {
  const m = messages.value.complaint
  const f = m.fields
  const inbox = messages.value.inbox
  const body = detail.complaint
  const metadata = Object.entries(body.metadata ?? {})
  return (
    <section class="card" aria-labelledby="sent-title">
      <h2 id="sent-title">{m.sent}</h2>
      <h3 class="label">{f.description}</h3>
      {/* Text, never HTML: whatever the customer typed, markup included, shows as typed. */}
      <p class="description" lang={body.client?.locale || undefined}>
        {body.description}
      </p>
      <dl class="facts">
        <Row label={f.category}>
          {categoryLabel(site, body.category)} <span class="hint">({body.category})</span>
        </Row>
        <Row label={f.severity}>{inbox.severities[body.severity]}</Row>
        <Row label={f.receivedAt}>{formatDateTime(detail.receivedAt)}</Row>
        {body.occurredAt && <Row label={f.occurredAt}>{formatDateTime(body.occurredAt)}</Row>}
        {body.contact?.name && <Row label={f.name}>{body.contact.name}</Row>}
        {body.contact?.email && (
          <Row label={f.email}>
            {/* A link only for a plain address: `?`, `&` or `%` could prefill a mail (cc, body). */}
            {/[?&%#]/.test(body.contact.email) ? (
              body.contact.email
            ) : (
              <a href={`mailto:${body.contact.email}`}>{body.contact.email}</a>
            )}
          </Row>
        )}
        {!body.contact?.name && !body.contact?.email && <Row label={f.contact}>{m.none}</Row>}
        {body.orderRef && <Row label={f.orderRef}>{body.orderRef}</Row>}
        {body.orderValue && (
          <Row label={f.orderValue}>
            {formatMoney(body.orderValue.value, body.orderValue.currency)}
          </Row>
        )}
        {body.customer?.id && <Row label={f.customerId}>{body.customer.id}</Row>}
        {body.customer?.email && <Row label={f.customerEmail}>{body.customer.email}</Row>}
        {body.page?.url && (
          <Row label={f.pageUrl}>
            <SafeLink href={body.page.url} />
          </Row>
        )}
        {body.page?.title && <Row label={f.pageTitle}>{body.page.title}</Row>}
        {body.page?.referrer && (
          <Row label={f.referrer}>
            <SafeLink href={body.page.referrer} />
          </Row>
        )}
        {body.client?.locale && <Row label={f.locale}>{body.client.locale}</Row>}
        {body.client?.userAgent && (
          <Row label={f.userAgent}>
            <span class="mono">{body.client.userAgent}</span>
          </Row>
        )}
        {body.client?.sdk && <Row label={f.sdk}>{body.client.sdk}</Row>}
      </dl>
      <Verified detail={detail} />
      {metadata.length > 0 && (
        <>
          <h3 class="label">{f.metadata}</h3>
          <dl class="facts metadata">
            {metadata.map(([key, value]) => (
              <Row key={key} label={key}>
                {String(value)}
              </Row>
            ))}
          </dl>
        </>
      )}
    </section>
  )
}

/** A day as the token sent it (`2026-11-20`, read as that UTC day), or a full time. */
function formatDay(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatDateTime(iso)
  return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  )
}

/**
 * What a valid customer token vouched for: the customer and the order this
 * complaint names. Without one, the facts above are only the page's word.
 */
function Verified({ detail }: { detail: ComplaintDetail }) {
  const m = messages.value.complaint
  const f = m.fields
  const verified = detail.verified
  if (!verified) return <p class="hint">{m.unverifiedNote}</p>
  const order = verified.order
  return (
    <>
      <h3 class="label">{m.verifiedTitle}</h3>
      <p class="hint">{m.verifiedNote}</p>
      <dl class="facts verified">
        <Row label={f.customerId}>{verified.customerId}</Row>
        {verified.name && <Row label={f.name}>{verified.name}</Row>}
        {verified.email && <Row label={f.customerEmail}>{verified.email}</Row>}
        {order && <Row label={f.orderRef}>{order.ref}</Row>}
        {order && <Row label={f.orderValue}>{formatMoney(order.value, order.currency)}</Row>}
        {order?.date && <Row label={f.orderDate}>{formatDay(order.date)}</Row>}
      </dl>
      {!order && <p class="hint">{m.noVouchedOrder}</p>}
    </>
  )
}

function FollowUps({ detail }: { detail: ComplaintDetail }) {
  const m = messages.value.complaint
  if (detail.followUps.length === 0) return null
  return (
    <section class="card" aria-labelledby="follow-ups-title">
      <h2 id="follow-ups-title">{m.followUps}</h2>
      <ul class="follow-ups">
        {detail.followUps.map((answer, index) => (
          <li key={index}>
            <p>
              {fill(m.followUp, { score: answer.score, resolved: answer.resolved ? m.yes : m.no })}{' '}
              <time class="hint" dateTime={answer.createdAt}>
                {formatDateTime(answer.createdAt)}
              </time>
            </p>
            {answer.fairness && (
              <p class="hint">
                {fill(m.fairness, {
                  remedy: answer.fairness.remedy ?? '–',
                  process: answer.fairness.process ?? '–',
                  treatment: answer.fairness.treatment ?? '–',
                })}
              </p>
            )}
            {answer.comment && <p class="quote">{answer.comment}</p>}
          </li>
        ))}
      </ul>
    </section>
  )
}

function Guarantee({ detail }: { detail: ComplaintDetail }) {
  const m = messages.value.complaint
  const guarantee = detail.guarantee!
  const state = guarantee.state ?? 'pending'
  return (
    <section class="card" aria-labelledby="guarantee-title">
      <h2 id="guarantee-title">{m.guarantee}</h2>
      <p class="quote">{guarantee.text}</p>
      {guarantee.dueAt && <p>{fill(m.guaranteeDue, { due: formatDateTime(guarantee.dueAt) })}</p>}
      <p class={state === 'broken' ? 'warn' : 'hint'}>{m.guaranteeStates[state]}</p>
    </section>
  )
}
