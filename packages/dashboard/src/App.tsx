/**
 * @module The shell: sign-in when nobody is signed in (an invitation's or a
 * mailed sign-in link's page when the route is one), else the navigation
 * (inbox, insights, settings), who is signed in, the language switch,
 * sign-out and the view the route names. Insights and Settings are loaded on
 * demand (`./lazy`).
 */
import { useEffect } from 'preact/hooks'
import {
  failedLocale,
  fill,
  LOCALES,
  type Locale,
  loadLocale,
  locale,
  messages,
  pendingLocale,
  setLocale,
} from './i18n'
import { Inbox } from './inbox/Inbox'
import { lazyView } from './lazy'
import { auth, checkingSession, route, routeHref, signOut } from './lib/state'
import { AcceptInvite, LinkSignIn, SignIn } from './SignIn'

// Not on the first screen: their own chunks (Insights carries uPlot), fetched on their route.
const Insights = lazyView(() => import('./insights/Insights').then((module) => module.Insights))
// Settings brings its own message tables, which join the locale's once its chunk is imported.
const Settings = lazyView(() =>
  import('./settings/Settings').then(async (module) => {
    await loadLocale()
    return module.Settings
  }),
)
const VIEWS = { insights: Insights, settings: Settings }

export function App() {
  const m = messages.value.common
  useEffect(() => {
    document.documentElement.lang = locale.value
    document.title = m.appName
  }, [locale.value])
  const current = route.value
  // A link from a mail works whoever is signed in here: it is the person who opened it.
  if (current.name === 'invite') return <AcceptInvite token={current.token} />
  if (current.name === 'signInLink') return <LinkSignIn token={current.token} />
  const who = auth.value
  if (!who)
    return checkingSession.value ? (
      <p class="sign-in" role="status">
        {m.loading}
      </p>
    ) : (
      <SignIn />
    )
  const failed = failedLocale.value
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
          {/* The choice shows while its table loads; the texts stay in the current language. */}
          <select
            value={pendingLocale.value ?? locale.value}
            aria-busy={pendingLocale.value !== null}
            onChange={(event) => setLocale((event.target as HTMLSelectElement).value as Locale)}
          >
            {Object.entries(LOCALES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {failed && (
          <p class="error" role="alert">
            {fill(m.languageFailed, { language: LOCALES[failed] })}
          </p>
        )}
        <span class="who">
          {who.kind === 'session'
            ? fill(m.signedInAs, {
                name: who.session.user.name,
                role: m.roles[who.session.user.role],
              })
            : who.token.startsWith('rdt_')
              ? m.apiToken
              : m.adminToken}
        </span>
        <button type="button" class="link" onClick={signOut}>
          {m.signOut}
        </button>
      </header>
      <main>
        {(current.name === 'inbox' || current.name === 'complaint') && (
          <Inbox openId={current.name === 'complaint' ? current.id : null} />
        )}
        {current.name === 'insights' && <Insights />}
        {current.name === 'settings' && <Settings noticeFrom={current.noticeFrom} />}
      </main>
    </div>
  )
}
