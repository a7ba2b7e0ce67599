/** @module Recovery: the policy and the engine that applies it, the caps, the ledger, approvals, guarantees and the coupon pool. */

export { decidePending, type PendingDecision } from './approvals'
export { type Authority, chargeAuthority } from './authority'
export { type CapBreach, type CapReason, remedyCaps, trustedOrder } from './caps'
export { addPoolCodes, POOL_LIMITS, poolSummary, removePoolCode } from './coupon-pool'
export { applyPolicy, type Decision, decideRecovery, type StoredComplaint } from './decide'
export {
  type GuaranteeWorker,
  type GuaranteeWorkerOptions,
  guaranteeColumns,
  startGuaranteeWorker,
} from './guarantee'
export { issueRemedy } from './issue'
export { issuedRecoveries } from './ledger'
export {
  DEFAULT_POLICY,
  effectivePolicy,
  failureTypeOf,
  HARD_CAP_PERCENT,
  type Policy,
  type PolicyOverrides,
} from './policy'
