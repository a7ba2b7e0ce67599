// The picker's own words, loaded with it: they cost the form nothing.
const en = {
  add: 'Add a photo',
  capture: 'Capture this page',
  photo: 'Photo {n}',
  remove: 'Remove photo {n}',
  limit: 'Up to {max} photos.',
  working: 'Preparing the photo…',
  unreadable: 'That file is not a photo we can read. Try a JPEG, PNG or WebP image.',
  too_large: 'That photo is too large to send, even made smaller.',
  capture_failed: 'The page could not be captured. You can add a photo instead.',
}

export type PhotoMessages = typeof en

const zh: PhotoMessages = {
  add: '添加照片',
  capture: '截取此页面',
  photo: '照片 {n}',
  remove: '删除照片 {n}',
  limit: '最多 {max} 张照片。',
  working: '正在处理照片…',
  unreadable: '无法读取该文件。请选择 JPEG、PNG 或 WebP 图片。',
  too_large: '照片过大，缩小后仍无法发送。',
  capture_failed: '无法截取页面。您可以改为添加照片。',
}

/** The words for `locale`: Chinese for any `zh`, else English. */
export const photoMessages = (locale: string): PhotoMessages => (locale.startsWith('zh') ? zh : en)
