/**
 * @module `redress-app.js`, the widget's lazy chunk: the SDK with its HTTP
 * adapter, the Preact form and recovery views, and one message table. The
 * embed loads it on intent or when the page is idle and hands over its
 * shadow root and the calls queued so far.
 */
import { type Metadata, noticeFor, type SiteConfig } from '@redress/protocol'
import { createRedress, type Redress } from '@redress/sdk'
import { httpAdapter } from '@redress/sdk/http'
import type { PhotoOutbox } from '@redress/sdk/photos'
import type { App, EmbedContext } from '../embed'
import { type DeepPartial, loadMessages, type Messages, withOverrides } from '../i18n'
import type { Photo } from '../picker'
import { type Category, DEFAULT_CATEGORIES } from '../types'
import { css, mountUI } from '../ui'
import { keepReceipts } from './_receipts'

/** What `redress('configure', …)` sets. */
export interface WidgetOptions {
  /** Replace the built-in categories. */
  categories?: readonly Category[]
  /** Override any text, e.g. `{ launcher: 'Something wrong?' }`. */
  strings?: DeepPartial<Messages>
  /** Attached to every complaint; only before the widget has loaded. */
  metadata?: Metadata
}

// The SDK methods a page may call through `redress(name, ...args)`.
const METHODS = [
  'on',
  'once',
  'off',
  'open',
  'close',
  'apologize',
  'offerCoupon',
  'offerRecovery',
  'acceptRecovery',
  'notice',
  'identify',
  'submit',
  'status',
  'followUp',
  'pending',
  'flush',
] as const satisfies readonly (keyof Redress)[]

/**
 * The site's categories, service guarantee and notices, as the embed asked for them;
 * nothing after 2 s: the widget then works with its built-in categories.
 */
const siteConfig = ({ config }: EmbedContext) =>
  Promise.race([config, new Promise((resolve) => setTimeout(resolve, 2000))]) as Promise<
    Partial<SiteConfig> | undefined
  >

/**
 * Create the SDK and the form inside the embed's shadow root.
 * `options` are the `configure` calls queued before loading, merged.
 */
export async function start(context: EmbedContext, options: WidgetOptions = {}): Promise<App> {
  const { shadow, launcher, locale } = context
  const adapter = httpAdapter({ endpoint: context.endpoint })
  const redress = createRedress({ site: context.site, adapter, locale, metadata: options.metadata })
  const receipts = keepReceipts(redress)
  // The photos' outbox loads with the first complaint sent with photos, or at
  // once when photos of an earlier page still wait (the embed's flag).
  let uploads: Promise<PhotoOutbox> | undefined
  const photoUploads = () =>
    (uploads ??= import('./_photos').then(
      ({ startPhotos }) => startPhotos(redress, adapter, receipts),
      (error: unknown) => {
        // Offline, say: the next call tries again.
        uploads = undefined
        throw error
      },
    ))
  try {
    if (localStorage.getItem(`redress:photos:${context.site}`)) void photoUploads()
  } catch {}
  // Before the first render, so the form never changes under the customer's hands.
  const [base, site] = await Promise.all([loadMessages(locale), siteConfig(context)])
  // The owner's categories, unless the page configures its own; none, or none
  // that could be read: the built-in ones. Only what a category needs is kept,
  // so an odd answer cannot add links or break the form. The owner's label in
  // the customer's language comes first, then their one label; without
  // either the form names a built-in id in its own words.
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
  const categories = (Array.isArray(site?.categories) ? site.categories : [])
    .filter((category) => typeof category?.id === 'string')
    .map(({ id, failureType, label, labels, help }) => {
      const mine = help?.[locale]
      return {
        id,
        failureType,
        label: text(labels?.[locale]) ?? text(label),
        answer: text(mine?.answer),
        help: Array.isArray(mine?.links)
          ? mine.links.filter((link) => text(link?.label) && text(link?.url))
          : undefined,
      }
    })
  context.adopt(css)
  const container = document.createElement('div')
  shadow.append(container)
  // A backend that takes photos says how many; one that does not, nothing.
  const max = Number(site?.attachments?.max)
  const photos =
    max >= 1
      ? {
          max: Math.min(max, 10),
          onSend: (id: string, chosen: Photo[]) =>
            void photoUploads()
              .then((outbox) => outbox.add(id, chosen))
              // No IndexedDB (blocked storage): the complaint goes, its photos cannot wait.
              .catch((error: unknown) => console.error('[redress] photos not kept:', error)),
          ready: () => void photoUploads().catch(() => {}),
        }
      : undefined

  let settings = options
  let ui: { destroy(): void } | undefined
  const mount = () => {
    ui?.destroy()
    const messages = withOverrides(base, settings.strings ?? {})
    launcher.textContent = messages.launcher
    ui = mountUI({
      container,
      redress,
      messages,
      locale,
      categories: settings.categories || (categories[0] ? categories : DEFAULT_CATEGORIES),
      guarantee: typeof site?.guarantee?.text === 'string' ? site.guarantee.text : undefined,
      launcher,
      photos,
      adopt: context.adopt,
      resume: receipts.list().find((kept) => kept.status !== 'closed' && !kept.answered),
      // Only the site's own help is counted by the site; a page's `configure` help is its own.
      onDeflect: settings.categories
        ? undefined
        : (category) =>
            void fetch(
              `${context.endpoint.replace(/\/+$/, '')}/v1/sites/${context.site}/deflections`,
              {
                method: 'POST',
                // A string body is text/plain: no preflight, and it outlives a closing page.
                body: JSON.stringify({ category }),
                keepalive: true,
                credentials: 'omit',
              },
            ).catch(() => {}),
    })
  }
  mount()
  // The owner's known-issue notices for this page, now, in the customer's
  // language; an odd entry is skipped rather than breaking the widget.
  for (const notice of Array.isArray(site?.notices) ? site.notices : []) {
    try {
      const message = noticeFor(notice, { path: location.pathname, locale, now: new Date() })
      if (typeof message === 'string')
        redress.notice({
          id: notice.id,
          message,
          level: notice.level === 'warning' ? 'warning' : 'info',
        })
    } catch {}
  }
  // Where does the customer's last report stand? At most once an hour; a
  // change reaches the open view through the SDK's status:changed.
  void receipts.refresh()

  return {
    command(name, args) {
      try {
        if (name === 'configure') {
          settings = { ...settings, ...(args[0] as WidgetOptions) }
          return mount()
        }
        if (!(METHODS as readonly string[]).includes(name)) {
          throw new TypeError(
            `unknown command "${name}"; known: configure, destroy, ${METHODS.join(', ')}`,
          )
        }
        const method = redress[name as (typeof METHODS)[number]] as (...args: unknown[]) => unknown
        return method(...args)
      } catch (error) {
        // Script-tag calls have no caller to catch for them: say it in the console.
        console.error(`[redress] ${name}:`, error)
      }
    },
    destroy() {
      receipts.stop()
      void uploads?.then((outbox) => outbox.destroy())
      ui?.destroy()
      redress.destroy()
      container.remove()
    },
  }
}
