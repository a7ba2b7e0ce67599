/**
 * @module The dashboard's entry: asks whether a person's session is still
 * good, fetches the current locale's messages, then renders the app into
 * #app, so the first screen is in its language at once.
 */
import { render } from 'preact'
import { App } from './App'
import { loadLocale } from './i18n'
import { restoreSession } from './lib/state'
import './styles.css'

const root = document.getElementById('app')!

// Alongside the messages, not before them: the app says "Loading…" until it is answered.
void restoreSession()

loadLocale().then(
  () => render(<App />, root),
  (error: unknown) => {
    console.error('Could not load the messages:', error)
    // No table to word it with, so both languages, as plain text (the CSP allows no inline script).
    root.textContent =
      'The inbox could not be loaded: check your connection and reload the page. 无法加载收件箱：请检查网络后重新加载页面。'
  },
)
