/** @module Complaints: storing them idempotently, their status and follow-ups, and the customer tokens that vouch for them. */
export {
  authorize,
  findComplaint,
  type Ingested,
  ingestComplaint,
  iso,
  MIN_FILL_MS,
  recordFollowUp,
  statusReport,
  suspicionOf,
} from './complaints'
export {
  checkCustomerToken,
  ensureVerificationSecret,
  rotateVerificationSecret,
  signCustomerToken,
  type VerifiedCustomer,
  verificationSecrets,
  verifiedFacts,
  verifyCustomerToken,
} from './customers'
