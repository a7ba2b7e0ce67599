/**
 * @module For tests: every message table of every locale (the Settings ones
 * too) loaded before the tests run, as in a dashboard that has already
 * fetched both languages, so `setLocale` switches at once and a test can
 * render straight away. `./helpers` and `../settings/_test-helpers` import
 * it; a test that uses neither but shows or reads messages imports it
 * itself. The loading itself is tested in `../i18n/loading.test.tsx`.
 */
import { LOCALES, type Locale, loadLocale } from '../i18n'
import '../i18n/settings'

await Promise.all(Object.keys(LOCALES).map((lang) => loadLocale(lang as Locale)))
