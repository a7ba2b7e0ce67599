/**
 * @module The shell: sign-in when there is no token, else the navigation
 * (inbox, insights, settings), the language switch, sign-out and the view
 * the route names. Insights and Settings are loaded on demand (`./lazy`).
 */
import { useEffect } from 'preact/hooks'
import { LOCALES, type Locale, locale, messages, setLocale } from './i18n'
import { Inbox } from './inbox/Inbox'
import { lazyView } from './lazy'
import { route, routeHref, signOut, token } from './lib/state'
import { SignIn } from './SignIn'

// Not on the first screen: their own chunks (Insights carries uPlot), fetched on their route.
const Insights = lazyView(() => import('./insights/Insights').then((module) => module.Insights))
const Settings = lazyView(() => import('./settings/Settings').then((module) => module.Settings))
const VIEWS = { insights: Insights, settings: Settings }

export function App() {
  const m = messages.value.common
  useEffect(() => {
    document.documentElement.lang = locale.value
    document.title = m.appName
  }, [locale.value])
  if (!token.value) return <SignIn />
  const current = route.value
  const link = (name: 'inbox' | 'insights' | 'settings', label: string) => {
    const active = current.name === name || (name === 'inbox' && current.name === 'complaint')
    // Pointing at a link starts fetching its view, so it is often there by the click.
    const preload = name === 'inbox' ? undefined : VIEWS[name].preload
    return (
      <a
        href={routeHref({ name })}
        aria-current={active ? 'page' : undefined}
        onPointerEnter={preload}
        onFocus={preload}
      >
        {label}
      </a>
    )
  }
  return (
    <div class="app">
      <header class="top">
        <strong class="brand">{m.appName}</strong>
        <nav aria-label={m.appName}>
          {link('inbox', m.inbox)}
          {link('insights', m.insights)}
          {link('settings', m.settings)}
        </nav>
        <label class="locale">
          <span class="visually-hidden">{m.language}</span>
          <select
            value={locale.value}
            onChange={(event) => setLocale((event.target as HTMLSelectElement).value as Locale)}
          >
            {Object.entries(LOCALES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="link" onClick={signOut}>
          {m.signOut}
        </button>
      </header>
      <main>
        {(current.name === 'inbox' || current.name === 'complaint') && (
          <Inbox openId={current.name === 'complaint' ? current.id : null} />
        )}
        {current.name === 'insights' && <Insights />}
        {current.name === 'settings' && <Settings />}
      </main>
    </div>
  )
}
