/**
 * @module The admin API's answers as the dashboard reads them: the server's
 * own contract, `@redress/protocol/admin`, so the compiler checks both sides
 * against one definition. Money is in minor units. `RecoveryRow` and `Policy`
 * are the protocol's `RecoveryView` and `SitePolicy` under the names the views use.
 */

export type {
  Complaint,
  FailureType,
  Recovery,
  RecoveryKind,
  Severity,
  Status,
  VouchedOrder,
} from '@redress/protocol'
export {
  type Caps,
  type ComplaintDetail,
  type ComplaintGuarantee,
  type ComplaintPage,
  type ComplaintSummary,
  type CouponPoolSummary,
  type CreatedVerificationSecret,
  type CreatedWebhook,
  type FairnessGroup,
  type FollowUpView,
  type Guarantee,
  type GuaranteeState,
  type Insights,
  type ListFilters,
  type LiveEvent,
  type PendingReason,
  type RecoveryStatus,
  type RecoveryView,
  type RecoveryView as RecoveryRow,
  type RemedyInput,
  type RemedyResult,
  type ReplyView,
  ROOT_CAUSES,
  type RootCause,
  type SiteCategory,
  type SiteChange,
  type SiteChangeField,
  type SitePolicy as Policy,
  type SiteView,
  type Suspicion,
  type TimelineEntry,
  type VerificationSecret,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@redress/protocol/admin'
