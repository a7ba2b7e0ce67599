/**
 * @module `redress.js`, the always-loaded part of the widget: plain DOM, no
 * framework. It reads its own script tag, replays calls queued on
 * `window.redress`, draws the launcher in a shadow root, and loads the rest
 * (the SDK, the form, the message table) on intent or when the page is idle.
 */
import { type Locale, toLocale } from '../types'
import { siteConfig } from './_config'
import { followModals, raise } from './_top'
import { launcherCss } from './launcher.css'

/** What the lazy app chunk gets from the embed. */
export interface EmbedContext {
  site: string
  endpoint: string
  locale: Locale
  shadow: ShadowRoot
  host: HTMLElement
  launcher: HTMLButtonElement
  /** The nonce of the script tag, for anything that must carry one. */
  nonce: string
  /** Style sheets the app adds to the shadow root. */
  adopt(css: string): void
  /** The site's public settings (`siteConfig`), asked for while the app chunk downloads. */
  config: Promise<unknown>
}

/** What the app chunk exports. */
export interface AppModule {
  start(context: EmbedContext, options?: object): Promise<App>
}

/** The started app: it runs every command after the embed's own. */
export interface App {
  command(name: string, args: unknown[]): unknown
  destroy(): void
}

type Command = [name: string, ...args: unknown[]]

/** The global function, before (`q` holds the calls) and after loading. */
interface RedressGlobal {
  (...command: Command): unknown
  q?: ArrayLike<unknown>[]
  /** Set once the widget runs, so a second copy of the tag does nothing. */
  loaded?: true
}

declare global {
  interface Window {
    redress?: RedressGlobal
  }
}

const LAUNCHER: Record<Locale, string> = { en: 'Report a problem', 'zh-CN': '报告问题' }
// Commands that need the form on screen, so they load it at once.
const VISIBLE = ['open', 'notice', 'apologize', 'offerCoupon', 'offerRecovery']

const waiting = (site = '') => {
  try {
    // A complaint in the SDK's outbox (a JSON array), or photos waiting to upload (a count).
    return (
      (localStorage.getItem(`redress:outbox:${site}`)?.length ?? 0) > 2 ||
      !!localStorage.getItem(`redress:photos:${site}`)
    )
  } catch {
    // Storage blocked: the SDK keeps its outbox in memory, so nothing waits.
    return false
  }
}

const boot = () => {
  const w = window
  const d = document
  const previous = w.redress
  if (previous?.loaded) return

  const script = d.currentScript as HTMLScriptElement | null
  const data = script?.dataset ?? {}
  const src = script?.src ?? ''
  const locale = toLocale(data.locale || d.documentElement.lang || navigator.language)
  const host = d.createElement('redress-widget')
  const shadow = host.attachShadow({ mode: 'open' })
  // Where the launcher goes while the page's own modal dialog is open.
  const away = d.createElement('redress-launcher')
  const awayShadow = away.attachShadow({ mode: 'open' })
  const launcher = d.createElement('button')
  const sheets: CSSStyleSheet[] = []
  const queue: Command[] = Array.from(previous?.q ?? [], (args) => Array.from(args) as Command)
  let app: Promise<App> | undefined
  let started: App | undefined
  let destroyed = false

  const adopt = (css: string) => {
    // Constructed sheets need neither a nonce nor 'unsafe-inline' under a strict CSP.
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    sheets.push(sheet)
    shadow.adoptedStyleSheets = awayShadow.adoptedStyleSheets = sheets
  }

  const endpoint = data.endpoint || (src ? new URL(src).origin : location.origin)
  let config: Promise<unknown> | undefined
  const load = () => {
    // The site's settings download beside the chunk; asked once, kept across retries.
    config ??= siteConfig(endpoint, data.site ?? '')
    app ??= (
      import(
        /* @vite-ignore */ new URL('redress-app.js', src || location.href).href
      ) as Promise<AppModule>
    )
      .then((module) => {
        // `configure` calls made so far shape the start; later ones re-render.
        const options = {}
        for (const command of queue.filter(([name]) => name === 'configure')) {
          Object.assign(options, command[1])
          queue.splice(queue.indexOf(command), 1)
        }
        return module.start(
          {
            site: data.site ?? '',
            endpoint,
            locale,
            shadow,
            host,
            launcher,
            nonce: script?.nonce ?? '',
            adopt,
            config: config!,
          },
          options,
        )
      })
      .then((ready) => {
        if (destroyed) ready.destroy()
        started = ready
        for (const command of queue.splice(0)) ready.command(command[0], command.slice(1))
        return ready
      })
      .catch((error: unknown) => {
        // The next intent tries again; queued calls wait for it.
        app = undefined
        console.error('[redress] could not load the widget:', error)
        throw error
      })
    return app
  }

  const destroy = () => {
    destroyed = true
    observer.disconnect()
    stopFollowing()
    host.remove()
    started?.destroy()
    delete w.redress
  }

  const run = (...command: Command): unknown => {
    if (destroyed) return
    if (command[0] === 'destroy') return destroy()
    if (started) return started.command(command[0], command.slice(1))
    queue.push(command)
    if (VISIBLE.includes(command[0])) preload()
  }

  if (!data.site) console.error('[redress] the script tag needs data-site="pk_…", your site key')
  for (const element of [host, away]) {
    element.dataset.position = data.position === 'bottom-left' ? 'bottom-left' : 'bottom-right'
    if (data.theme) element.dataset.theme = data.theme
  }
  adopt(launcherCss)
  launcher.type = 'button'
  launcher.className = 'launcher'
  launcher.setAttribute('aria-haspopup', 'dialog')
  launcher.textContent = LAUNCHER[locale]
  const preload = () => void load().catch(() => {})
  for (const intent of ['pointerenter', 'focus', 'touchstart'])
    launcher.addEventListener(intent, preload)
  launcher.addEventListener('click', () => run('open'))
  shadow.append(launcher)

  // On <html>, not <body>: single-page apps that swap the body keep the
  // launcher; anything that still removes it gets it back.
  const attach = () => {
    if (host.isConnected) return
    d.documentElement.append(host)
    raise(host)
  }
  const observer = new MutationObserver(attach)
  observer.observe(d.documentElement, { childList: true })
  attach()
  const stopFollowing = followModals(launcher, shadow, away)

  run.loaded = true as const
  w.redress = run
  // Turned off before it loaded: replaying would only load the form to drop it.
  if (queue.some(([name]) => name === 'destroy')) return destroy()
  // A page view without intent downloads nothing more, unless a complaint or
  // photos from an earlier page wait: then the rest loads when the browser has
  // nothing better to do, and sends them.
  if (data.preload === 'idle' || waiting(data.site)) {
    const idle = w.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 2000))
    idle(() => destroyed || preload())
  }
  if (queue.some((command) => VISIBLE.includes(command[0]))) preload()
}

boot()
