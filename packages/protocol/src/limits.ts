/** Limits of wire protocol v1, re-exported as `LIMITS`. */
export const idempotencyKey = 255
export const site = 100
export const category = 64
export const description = 5000
export const orderRef = 128
export const email = 254
export const name = 200
export const id = 200
export const url = 2048
export const title = 500
export const locale = 35
export const userAgent = 512
export const sdk = 64
export const metadataEntries = 20
export const metadataKey = 64
export const metadataValue = 500
export const message = 2000
export const couponCode = 64
export const label = 200
export const terms = 2000
export const comment = 2000
export const honeypot = 200
/** An owner's reply to the customer (`StatusReport.replies`), and who signed it. */
export const reply = 5000
export const author = 200
export const currency = 3
/** A site's category label and its service guarantee's text (`SiteConfig`). */
export const categoryLabel = 100
export const guarantee = 300
/** A signed customer token (`Complaint.customerToken`), a compact JWT. */
export const customerToken = 4096
/** Orders one customer token may vouch for. */
export const vouchedOrders = 20
/** Largest accepted request body, in bytes. */
export const body = 64 * 1024
/** Photos one complaint may carry (`POST /v1/complaints/{id}/attachments`). */
export const attachments = 3
/** The largest photo accepted, in bytes (5 MB): a client downscales before sending. */
export const attachmentBytes = 5 * 1024 * 1024
/** A photo's file name, as the customer's device named it. */
export const attachmentName = 200
