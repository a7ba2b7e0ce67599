/**
 * @module A complaint's photos: checked by their bytes, stored in the blob
 * store, pruned after the site's days.
 */
export {
  ATTACHMENT_DAYS,
  addAttachment,
  attachmentReceipt,
  checkUpload,
  pruneAttachments,
  type Upload,
} from './attachments'
export { nameFits, servedName, sniffImage } from './sniff'
