/** @module One complaint: its facts, handling, remedies, replies and timeline. */
export { ComplaintView } from './ComplaintView'
