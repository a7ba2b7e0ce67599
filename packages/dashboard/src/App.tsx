/**
 * @module The shell: sign-in when there is no token, else the navigation
 * (inbox, insights, settings), the language switch, sign-out and the view
 * the route names.
 */
import { useEffect } from 'preact/hooks'
import { LOCALES, type Locale, locale, messages, setLocale } from './i18n'
import { route, routeHref, signOut, token } from './state'
import { Inbox } from './ui/Inbox'
import { Insights } from './ui/Insights'
import { Settings } from './ui/Settings'
import { SignIn } from './ui/SignIn'

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
    return (
      <a href={routeHref({ name })} aria-current={active ? 'page' : undefined}>
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
