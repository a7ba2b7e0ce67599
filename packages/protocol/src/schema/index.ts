/**
 * @module Runtime validators for wire protocol v1, built with valibot so the
 * server and the browser check exactly the same rules.
 *
 * Free of side effects, so a bundle keeps only what it uses (`cleanText`
 * alone, for the admin schemas, costs no other schema): the helpers are
 * marked `/* @__NO_SIDE_EFFECTS__ *\/`, and what is built at module level
 * sits in `/* @__PURE__ *\/ (() => …)()`, since bundlers keep template
 * literals and method calls in module code otherwise.
 */
export { ComplaintSchema, FollowUpSchema, MoneySchema } from './requests'
export {
  ErrorBodySchema,
  ReceiptSchema,
  RecoverySchema,
  ReplySchema,
  SiteConfigSchema,
  StatusReportSchema,
} from './responses'
export type { Validation, ValidationIssue } from './validate'
export {
  cleanText,
  validateComplaint,
  validateErrorBody,
  validateFollowUp,
  validateReceipt,
  validateRecovery,
  validateReply,
  validateSiteConfig,
  validateStatusReport,
} from './validate'
