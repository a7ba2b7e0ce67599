/**
 * @module What a complaint's list row says about its remedies, worked out
 * from its ledger rows as the server does: the inbox updates a row from the
 * complaint's detail with it.
 */
import type { ComplaintSummary, RecoveryRow } from './types'

/** What a list row says about a complaint's remedies, from its ledger rows (as the server does). */
export function remedyFlags(
  recoveries: readonly RecoveryRow[],
): Pick<ComplaintSummary, 'pendingApproval' | 'remedyGiven'> {
  return {
    pendingApproval: recoveries.some((row) => row.status === 'pending_approval'),
    remedyGiven: recoveries.some(
      (row) =>
        (row.status === 'issued' || row.status === 'approved') &&
        row.kind !== 'apology' &&
        row.kind !== 'escalation',
    ),
  }
}
