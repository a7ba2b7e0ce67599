/** @module Settings, its own chunk (import `./Settings` lazily): the site, policy and integrations. */
export { Settings } from './Settings'
