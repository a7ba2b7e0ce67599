import type { Complaint, FollowUp, Receipt, StatusReport } from '@redress/protocol'
import { receiptFrom } from '../_receipt'
import type { Adapter, ReceiptRef, RequestContext } from '../adapter'

/** What the submit callback gets: one object, so fields can be added later. */
export interface SubmitCallbackState {
  complaint: Complaint
  /** Store the complaint once per key; the SDK sends the same key on every retry. */
  idempotencyKey: string
  signal?: AbortSignal
}

export type SubmitCallback = (state: SubmitCallbackState) => Receipt | Promise<Receipt>

export interface CallbackAdapterOptions {
  /** @default 'callback' */
  name?: string
  status?: (state: { receipt: ReceiptRef; signal?: AbortSignal }) => Promise<StatusReport>
  followUp?: (state: {
    receipt: ReceiptRef
    answer: FollowUp
    signal?: AbortSignal
  }) => Promise<void>
}

/**
 * Hands each complaint to your own function, for backends that do not speak
 * the Redress wire protocol (a GraphQL mutation, a CRM's SDK...). What it
 * returns is checked to be a receipt; what it throws decides the retry (see
 * `Adapter`).
 *
 * @example
 * const adapter = callbackAdapter(async ({ complaint, idempotencyKey }) => {
 *   const { data } = await graphql(CREATE_TICKET, { input: complaint, key: idempotencyKey })
 *   return data.createTicket.receipt
 * })
 */
export function callbackAdapter(
  submit: SubmitCallback,
  options: CallbackAdapterOptions = {},
): Adapter {
  const name = options.name ?? 'callback'
  const { status, followUp } = options
  return {
    name,
    async submit(complaint, { idempotencyKey, signal }) {
      return receiptFrom(await submit({ complaint, idempotencyKey, signal }), name)
    },
    status:
      status &&
      ((receipt, context?: RequestContext) => status({ receipt, signal: context?.signal })),
    followUp:
      followUp &&
      ((receipt, answer, context?: RequestContext) =>
        followUp({ receipt, answer, signal: context?.signal })),
  }
}
