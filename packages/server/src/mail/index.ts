/**
 * @module Mail to the customer and the site's team: the worker that sends
 * the mail outbox's rows over SMTP (or logs them when there is no SMTP
 * server), the templates in each language, the signed links in customer
 * mails and what they do (the status page, the follow-up answer, one-click
 * unsubscribe). Rows are written by `emit` (`src/outbox/mail.ts`).
 */
export { mailSettings } from '../outbox'
export { LINK_LIFETIME_MS, type LinkAnswer, linkKey, linkUrl, readLink, signLink } from './links'
export {
  answerable,
  answerFollowUp,
  customerMessages,
  isSuppressed,
  linkStatus,
  MESSAGES_PER_LINK,
  type OpenedLink,
  openLink,
  unsubscribe,
  writeBack,
} from './status'
export { type MailLocale, renderMail, templates } from './templates'
export {
  FAIRNESS_SIDES,
  type FairnessSide,
  PAGE_CSP,
  problemPage,
  type StatusPageView,
  statusPage,
  unsubscribePage,
} from './templates/page'
export {
  checkSmtpUrl,
  classify,
  type MailTransport,
  type OutgoingMail,
  type SendOutcome,
  smtpTransport,
} from './transport'
export {
  ACKNOWLEDGMENTS_PER_DAY,
  type MailLogLine,
  type MailWorker,
  type MailWorkerOptions,
  startMailWorker,
} from './worker'
