/** @module Sites: who may send complaints, from which origins, with which categories; and server-wide settings. */
export { loadSecret } from './settings'
export {
  type CreateSiteOptions,
  createSite,
  DEFAULT_CATEGORIES,
  DEMO_SITE_KEY,
  ensureDemoSite,
  findSite,
  isOriginAllowed,
  siteConfig,
} from './sites'
