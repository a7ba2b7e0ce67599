/**
 * Test helpers for mail: a real SMTP server (`smtp-server`) on 127.0.0.1 that
 * keeps what arrives, parsed (`mailparser`), and can refuse recipients; a
 * Redress server whose mail and guarantee workers run only when a test says,
 * on a clock the test moves.
 */
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll } from 'vitest'
import type { TestDatabase } from '../_test-harness'
import { type RunningServer, startServer } from '../cli'
import type { DatabaseOptions } from '../db'
import type { LogLine } from '../http'

/** One message the SMTP server accepted. */
export interface Arrived {
  envelope: { from: string; to: string[] }
  mail: ParsedMail
  /** The `Message-ID` header, as sent. */
  messageId: string
  header(name: string): string | undefined
}

/**
 * Decides each `RCPT TO`: `undefined` accepts, a number refuses with that
 * code. `attempt` counts this address's `RCPT TO`s, from 1.
 */
export type RcptRule = (address: string, attempt: number) => number | undefined

export interface SmtpReceiver {
  url: string
  /** Everything accepted, in order. */
  arrived: Arrived[]
  /** What arrived for one address (any case). */
  to(address: string): Arrived[]
  /** `RCPT TO`s per address, accepted or refused. */
  attempts: Map<string, number>
  rule: RcptRule
  close(): Promise<void>
}

/** A plain SMTP server on 127.0.0.1 and a free port: no TLS, no authentication. */
export async function startSmtp(): Promise<SmtpReceiver> {
  const arrived: Arrived[] = []
  const attempts = new Map<string, number>()
  const receiver: SmtpReceiver = {
    url: '',
    arrived,
    // Case-insensitively: a mail library may lower the domain's case.
    to: (address) =>
      arrived.filter((item) =>
        item.envelope.to.some((to) => to.toLowerCase() === address.toLowerCase()),
      ),
    attempts,
    rule: () => undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const attempt = (attempts.get(address.address) ?? 0) + 1
      attempts.set(address.address, attempt)
      const code = receiver.rule(address.address, attempt)
      if (code === undefined) return callback()
      const refusal = Object.assign(
        new Error(code >= 500 ? 'No such mailbox here' : 'Try again later'),
        { responseCode: code },
      )
      callback(refusal)
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          arrived.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            mail,
            messageId: mail.messageId ? `<${mail.messageId.replace(/^<|>$/g, '')}>` : '',
            // The raw line, unfolded: what the sender wrote, not mailparser's reading of it.
            header: (name) =>
              mail.headerLines
                .find((line) => line.key === name.toLowerCase())
                ?.line.replace(/^[^:]*:\s*/, '')
                .replace(/\r?\n[ \t]+/g, ' '),
          })
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`
  return receiver
}

/** A Redress server for mail tests, its clock, and its log. */
export interface MailServer {
  server: RunningServer
  /** Where its database is: a second pool on PostgreSQL is another process's. */
  options: DatabaseOptions
  /** The workers' clock. */
  now(): Date
  /** Moves the workers' clock ahead (the HTTP side keeps real time). */
  advance(ms: number): void
  /** Every log line (requests, mails not sent, outcomes). */
  lines: LogLine[]
  /** Runs the mail worker until nothing more is due now. Returns how many it took. */
  drain(): Promise<number>
}

/**
 * Start a server for the suite: the demo site with admin token
 * `test-admin-token`, secret `test-secret`, mail through `smtp()` (`null`:
 * no SMTP server), nothing polling; `get()` returns it.
 */
export function useMailServer(
  database: () => TestDatabase,
  smtp: () => string | null,
): () => MailServer {
  let offset = 0
  const now = () => new Date(Date.now() + offset)
  const lines: LogLine[] = []
  let running: MailServer
  beforeAll(async () => {
    const options = await database().create()
    const server = await startServer({
      ...options,
      port: 0,
      log: (line) => void lines.push(line),
      static: false,
      secret: 'test-secret',
      adminToken: 'test-admin-token',
      demoSite: true,
      rateLimit: false,
      webhooks: false,
      guarantees: { interval: false, now },
      alerts: { interval: false, now },
      mail: { smtpUrl: smtp(), interval: false, now, random: () => 0.5 },
    })
    running = {
      server,
      options,
      now,
      advance: (ms) => {
        offset += ms
      },
      lines,
      async drain() {
        let total = 0
        for (let taken = 1; taken > 0; total += taken) taken = await server.mail!.runOnce()
        return total
      },
    }
  })
  afterAll(() => running?.server.close())
  return () => running
}

/** The links in a customer mail's text: the status link, each answer's, and unsubscribe. */
export function linksOf(arrived: Arrived): {
  status: string
  answers: Map<string, string>
  unsubscribe: string
} {
  const urls = (arrived.mail.text ?? '').match(/https?:\/\/\S+/g) ?? []
  const answers = new Map<string, string>()
  let status = ''
  for (const url of urls.filter((u) => u.includes('/v1/r/'))) {
    const answer = url.split('/v1/r/')[1]!.split('.')[3]!
    if (answer === '-') status = url
    else answers.set(answer, url)
  }
  return { status, answers, unsubscribe: urls.find((u) => u.includes('/v1/u/')) ?? '' }
}

/** A form post as a browser sends it: urlencoded, no cookies, no Origin of ours. */
export const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })
