/** @module Recovery: the policy and the engine that applies it, the caps, the ledger, approvals, guarantees and the coupon pool. */
export { decidePending, type PendingDecision } from './approvals'
export { type CapBreach, type CapReason, remedyCaps, trustedOrder } from './caps'
export {
  addPoolCodes,
  POOL_LIMITS,
  type PoolCode,
  parseCouponCsv,
  poolSummary,
  removePoolCode,
} from './coupon-pool'
export { applyPolicy, type Decision, decideRecovery, type StoredComplaint } from './decide'
export {
  durationMs,
  GUARANTEE_LIMITS,
  type GuaranteeWorker,
  type GuaranteeWorkerOptions,
  guaranteeColumns,
  parseGuarantee,
  startGuaranteeWorker,
} from './guarantee'
export { issueRemedy } from './issue'
export { issuedRecoveries } from './ledger'
export {
  DEFAULT_POLICY,
  effectivePolicy,
  failureTypeOf,
  formatMoney,
  HARD_CAP_PERCENT,
  type Policy,
  type PolicyOverrides,
  REMEDY_KINDS,
  type RemedyKind,
} from './policy'
export {
  CATEGORY_ID,
  ISO_DURATION,
  type PolicyProblem,
  policyOverridesProblem,
} from './policy-check'
