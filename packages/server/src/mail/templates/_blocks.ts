/**
 * @module What a mail is made of, once for both of its bodies: a template
 * returns a subject and blocks, and `toText` and `toHtml` write the plain
 * text and the HTML from the same blocks, so the two never say different
 * things. Every text is escaped in HTML; only our own URLs become links.
 */

/** One piece of a mail, in reading order. */
export type Block =
  /** A paragraph; line breaks kept. */
  | { kind: 'p'; text: string }
  /** Someone's words quoted (the owner's reply), with who wrote them. */
  | { kind: 'quote'; text: string; by: string | null }
  /** A list of short items (the remedies). */
  | { kind: 'list'; items: string[] }
  /** A row of answer buttons; in plain text, one line each. */
  | { kind: 'choices'; links: { label: string; url: string }[] }
  /** One link on its own line. */
  | { kind: 'link'; label: string; url: string }
  /** Small print at the end (why the mail came, how to stop it). */
  | { kind: 'small'; text: string; link?: { label: string; url: string } | undefined }

/** A mail as a template writes it. */
export interface Composed {
  subject: string
  blocks: Block[]
}

/** `subject`, and the two bodies. */
export interface Rendered {
  subject: string
  text: string
  html: string
}

/**
 * Escape text for HTML content and attribute values.
 *
 * @example
 * escapeHtml('<b>"x"</b>') // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')

const lines = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>')

function blockText(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.text
    case 'quote':
      return [
        ...(block.by ? [`${block.by}:`] : []),
        ...block.text.split(/\r?\n/).map((line) => `> ${line}`),
      ].join('\n')
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n')
    case 'choices':
      return block.links.map((link) => `${link.label}: ${link.url}`).join('\n')
    case 'link':
      return `${block.label}: ${block.url}`
    case 'small':
      return [
        '--',
        block.text,
        ...(block.link ? [`${block.link.label}: ${block.link.url}`] : []),
      ].join('\n')
  }
}

const BUTTON =
  'display:inline-block;margin:0 6px 6px 0;padding:8px 14px;border:1px solid #1f4e8c;border-radius:6px;color:#1f4e8c;text-decoration:none'

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'p':
      return `<p style="margin:0 0 14px">${lines(block.text)}</p>`
    case 'quote':
      return `${block.by ? `<p style="margin:0 0 4px;color:#555">${escapeHtml(block.by)}:</p>` : ''}<blockquote style="margin:0 0 14px;padding:8px 12px;border-left:3px solid #ccc;background:#f7f7f7">${lines(block.text)}</blockquote>`
    case 'list':
      return `<ul style="margin:0 0 14px;padding-left:20px">${block.items.map((item) => `<li>${lines(item)}</li>`).join('')}</ul>`
    case 'choices':
      return `<p style="margin:0 0 14px">${block.links
        .map(
          (link) =>
            `<a href="${escapeHtml(link.url)}" style="${BUTTON}">${escapeHtml(link.label)}</a>`,
        )
        .join('')}</p>`
    case 'link':
      return `<p style="margin:0 0 14px"><a href="${escapeHtml(block.url)}" style="color:#1f4e8c">${escapeHtml(block.label)}</a></p>`
    case 'small':
      return `<p style="margin:24px 0 0;font-size:12px;color:#777">${lines(block.text)}${
        block.link
          ? ` <a href="${escapeHtml(block.link.url)}" style="color:#777">${escapeHtml(block.link.label)}</a>`
          : ''
      }</p>`
  }
}

/**
 * The plain-text body: blocks separated by blank lines.
 *
 * @example
 * toText([{ kind: 'p', text: 'Hello' }, { kind: 'link', label: 'Status', url: 'https://…' }])
 * // 'Hello\n\nStatus: https://…\n'
 */
export const toText = (blocks: readonly Block[]): string =>
  `${blocks.map(blockText).join('\n\n')}\n`

/**
 * The HTML body: one small self-contained document, inline styles only
 * (mail clients drop style sheets), `lang` set for screen readers.
 *
 * @example
 * toHtml('en', 'We received your report', blocks)
 */
export const toHtml = (lang: string, title: string, blocks: readonly Block[]): string =>
  `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5;color:#222"><div style="max-width:560px">${blocks.map(blockHtml).join('')}</div></body></html>`
