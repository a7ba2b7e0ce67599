/**
 * @module The validators: each schema as a function answering
 * `{ success, output | issues }`, and `cleanText` for one string.
 */
import * as v from 'valibot'
import type {
  Complaint,
  ErrorBody,
  FollowUp,
  Receipt,
  Recovery,
  Reply,
  SiteConfig,
  StatusReport,
} from '../index'
import { textProblem } from './_rules'
import { ComplaintSchema, FollowUpSchema } from './requests'
import {
  ErrorBodySchema,
  ReceiptSchema,
  RecoverySchema,
  ReplySchema,
  SiteConfigSchema,
  StatusReportSchema,
} from './responses'

/** One reason input was refused, with the field as a dotted path (`""` for the whole value). */
export interface ValidationIssue {
  field: string
  message: string
}

export type Validation<T> =
  | { success: true; output: T; issues?: undefined }
  | { success: false; output?: undefined; issues: ValidationIssue[] }

/**
 * One string checked by the rules every string of the protocol follows:
 * refused, naming `field`, when it holds a control character (C0, DEL or C1;
 * with `multiline`, tab and line breaks are kept) or an unpaired surrogate;
 * otherwise returned NFC-normalised. Length limits and trimming stay with the
 * caller. For backends that check their own fields by hand.
 *
 * @example
 * cleanText('Cafe\u0301', 'label') // { success: true, output: 'Café' }
 * cleanText('Line 1\nLine 2', 'message', { multiline: true }).success // true
 * cleanText('A\u0000', 'label').issues
 * // [{ field: 'label', message: 'label contains a control character (U+0000)' }]
 */
export function cleanText(
  value: string,
  field: string,
  options: { multiline?: boolean } = {},
): Validation<string> {
  const problem = textProblem(value, field, options.multiline)
  return problem
    ? { success: false, issues: [{ field, message: problem }] }
    : { success: true, output: value.normalize('NFC') }
}

/* @__NO_SIDE_EFFECTS__ */
function validator<T>(schema: v.GenericSchema<unknown, T>) {
  return (input: unknown): Validation<T> => {
    const result = v.safeParse(schema, input)
    if (result.success) return { success: true, output: result.output }
    return {
      success: false,
      issues: result.issues.map((issue) => ({
        field: v.getDotPath(issue) ?? '',
        message: issue.message,
      })),
    }
  }
}

/**
 * Check a complaint body; on success `output` is trimmed, NFC-normalised and
 * stripped of unknown fields.
 *
 * @example
 * const result = validateComplaint(await request.json())
 * if (!result.success) return error(400, 'invalid_request', result.issues[0].message, result.issues[0].field)
 */
export const validateComplaint: (input: unknown) => Validation<Complaint> =
  /* @__PURE__ */ validator(ComplaintSchema)

/** Check a receipt sent back by a backend. */
export const validateReceipt: (input: unknown) => Validation<Receipt> =
  /* @__PURE__ */ validator(ReceiptSchema)

/** Check a status report sent back by a backend. */
export const validateStatusReport: (input: unknown) => Validation<StatusReport> =
  /* @__PURE__ */ validator(StatusReportSchema)

/** Check an owner's reply before it is shown to the customer. */
export const validateReply: (input: unknown) => Validation<Reply> =
  /* @__PURE__ */ validator(ReplySchema)

/** Check a follow-up answer. */
export const validateFollowUp: (input: unknown) => Validation<FollowUp> =
  /* @__PURE__ */ validator(FollowUpSchema)

/** Check a remedy before it is offered or stored. */
export const validateRecovery: (input: unknown) => Validation<Recovery> =
  /* @__PURE__ */ validator(RecoverySchema)

/** Check a site's public settings sent back by a backend (`GET /v1/sites/{publicKey}`). */
export const validateSiteConfig: (input: unknown) => Validation<SiteConfig> =
  /* @__PURE__ */ validator(SiteConfigSchema)

/** Check an error body. */
export const validateErrorBody: (input: unknown) => Validation<ErrorBody> =
  /* @__PURE__ */ validator(ErrorBodySchema)
