/**
 * @module Early warning: per-site rules that raise an alert once per episode
 * when complaints pile up (a burst in minutes, or a day far above the days
 * before), sending `alert.raised` and mailing the team.
 */
export { checkAlerts } from './check'
export { alertRules, alertView, groupOf, OTHER_CATEGORIES } from './rules'
export { type AlertWorker, type AlertWorkerOptions, startAlertWorker } from './worker'
