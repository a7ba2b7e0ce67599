/**
 * @module The Redress SDK: `createRedress()`, its typed events, the outbox,
 * and the built-in adapters that need no network library.
 */

export type {
  Complaint,
  CustomerTokenClaims,
  FollowUp,
  Money,
  Receipt,
  Recovery,
  Reply,
  Severity,
  Status,
  StatusReport,
} from '@redress/protocol'
export type { QueuedComplaint } from './_outbox'
export type { Adapter, Photo, ReceiptRef, RequestContext, SubmitContext } from './adapter'
export type { CallbackAdapterOptions, SubmitCallback } from './adapters/callback'
export { callbackAdapter } from './adapters/callback'
export type { MemoryAdapter, MemoryAdapterOptions } from './adapters/memory'
export { memoryAdapter } from './adapters/memory'
export type { Listener, Unsubscribe } from './emitter'
export type { HttpErrorOptions, Issue, RedressErrorOptions } from './errors'
export {
  HttpError,
  isHttpError,
  isNetworkError,
  isRedressError,
  isRetryable,
  isTimeoutError,
  isValidationError,
  NetworkError,
  RedressError,
  TimeoutError,
  ValidationError,
} from './errors'
export type { Notice, OpenOptions, RedressEvents, Responder } from './events'
export type { ComplaintDraft, Redress, Submission } from './instance'
export type {
  Customer,
  CustomerTokenRefresh,
  RedressOptions,
  RefreshCustomerToken,
  RetryOptions,
} from './options'
export { createRedress, VERSION } from './redress'
export type { KeyValueStorage } from './storage'
export { defaultStorage, memoryStorage } from './storage'
