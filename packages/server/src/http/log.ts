/**
 * @module The server's log lines: one JSON object per line, written by the app
 * for each request and by the admin API for each change to a site.
 */

/**
 * One line per request, and errors that were not the client's fault.
 *
 * @example
 * const line: LogLine = { level: 'info', msg: 'request', method: 'POST', path: '/v1/complaints', status: 201 }
 */
export interface LogLine {
  level: 'info' | 'error'
  msg: string
  requestId?: string
  method?: string
  path?: string
  status?: number
  durationMs?: number
  error?: string
  /** The admin API's site changes. */
  siteId?: string
  changed?: string[]
}

/**
 * Where log lines go.
 *
 * @example
 * const lines: LogLine[] = []
 * const log: Logger = (line) => lines.push(line)
 */
export type Logger = (line: LogLine) => void

/**
 * Writes each line as JSON to stdout (errors to stderr).
 *
 * @example
 * jsonLogger({ level: 'info', msg: 'listening', path: '/' })
 * // {"time":"2025-…","level":"info","msg":"listening","path":"/"}
 */
export const jsonLogger: Logger = (line) => {
  const text = `${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`
  if (line.level === 'error') process.stderr.write(text)
  else process.stdout.write(text)
}

/**
 * A request path as the log keeps it: the signed tokens of the mail links
 * (`/v1/r/{token}`, `/v1/u/{token}`) are credentials, so they are cut out.
 *
 * @example
 * loggedPath('/v1/r/r.mail_abc.k2.4.sig') // '/v1/r/…'
 */
export const loggedPath = (path: string): string => path.replace(/^(\/v1\/[ru]\/)[^/]+/, '$1…')
