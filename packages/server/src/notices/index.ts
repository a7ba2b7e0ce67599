/**
 * @module Known-issue notices the owner publishes: kept per site, edited in
 * the admin API, served to pages with the site's public settings.
 */
export {
  createNotice,
  deleteNotice,
  listNotices,
  noticeView,
  patchNotice,
  publicNotices,
} from './notices'
