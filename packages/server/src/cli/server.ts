/**
 * @module `startServer`: the database, the app and a Node HTTP server, with
 * graceful shutdown.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { isMailAddress } from '@redress/protocol/admin'
import { type Poller, reportTo, startPolling } from '../_lib/poller'
import { type AlertWorker, type AlertWorkerOptions, startAlertWorker } from '../alerts'
import { pruneAttachments } from '../attachments'
import { type BlobStore, blobStoreFrom } from '../blobs'
import { type Database, type DatabaseOptions, openDatabase } from '../db'
import { type AppOptions, createApp, jsonLogger, type Logger } from '../http/app'
import type { RateLimitOptions, TrustProxy } from '../http/rate-limit'
import {
  checkSmtpUrl,
  type MailTransport,
  type MailWorker,
  type MailWorkerOptions,
  smtpTransport,
  startMailWorker,
} from '../mail'
import {
  type OutboundLookup,
  outboundPolicy,
  startWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from '../outbox'
import {
  type GuaranteeWorker,
  type GuaranteeWorkerOptions,
  startGuaranteeWorker,
} from '../recovery'
import { endLiveStreams } from '../routes/admin'
import type { StaticOptions } from '../routes/public'
import { ensureDemoSite, loadSecret } from '../sites'

/** A whole number from the environment, or `undefined` when unset; throws when it is not one. */
function envNumber(name: string): number | undefined {
  const text = process.env[name]
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0, not ${JSON.stringify(text)}`)
  return value
}

/**
 * How `startServer` sends mail; every field has an environment variable.
 *
 * @example
 * const mail: MailOptions = { smtpUrl: 'smtp://127.0.0.1:2525', publicUrl: 'https://care.shop.example', from: 'care@shop.example' }
 */
export interface MailOptions
  extends Pick<
    MailWorkerOptions,
    'now' | 'batchSize' | 'interval' | 'leaseMs' | 'random' | 'onError'
  > {
  /**
   * The SMTP server (`smtp://user:pass@host:587`, `smtps://…`), chosen by the
   * operator; `null` sends nothing and logs each mail instead (`not_sent`).
   * @default REDRESS_SMTP_URL, else null
   */
  smtpUrl?: string | null | undefined
  /** Sends the mail instead of `smtpUrl` (tests, other transports). */
  transport?: MailTransport | undefined
  /**
   * The server as customers reach it: where mail links point (status page,
   * unsubscribe). @default REDRESS_PUBLIC_URL, else the server's own URL
   */
  publicUrl?: string | undefined
  /** The From address of sites that set no `mail.from`. @default REDRESS_MAIL_FROM, else none */
  from?: string | undefined
}

/** `REDRESS_PUBLIC_URL` or `publicUrl`: http(s), no query or fragment; without its trailing slash. */
function checkPublicUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`REDRESS_PUBLIC_URL is not a URL: ${JSON.stringify(url)}`)
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.search || parsed.hash)
    throw new Error(`REDRESS_PUBLIC_URL must be http(s) without query or fragment: ${url}`)
  return parsed.href.replace(/\/+$/, '')
}

/**
 * What `startServer` takes: the database's options, where to listen, and what to run.
 *
 * @example
 * const server = await startServer({
 *   url: process.env.DATABASE_URL,
 *   port: 8787,
 *   host: '0.0.0.0',
 *   trustProxy: 1,
 *   webhooks: { batchSize: 50 },
 * })
 */
export interface ServerOptions extends DatabaseOptions {
  /** @default 8787 (`0` picks a free port) */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Log lines; `false` for none. @default JSON lines on stdout */
  log?: Logger | false
  /** The status-token secret. @default REDRESS_SECRET, else one kept in the database */
  secret?: string | undefined
  /**
   * Create or update the demo site `pk_demo`, and serve the demo page at `/`
   * with its stand-in shop backend (`/__demo/…`), as `redress serve --demo`
   * does. @default false
   */
  demoSite?: boolean
  /** The demo site's admin token. @default REDRESS_ADMIN_TOKEN, else a new random one */
  adminToken?: string | undefined
  /**
   * Serve the widget and the owner's inbox (and with `demoSite`, the demo
   * page); `false` to serve only the API. @default {}
   */
  static?: StaticOptions | false
  /** Rate limits on new complaints; `false` for none. @default 10 a minute per IP, 600 per site */
  rateLimit?: RateLimitOptions | false | undefined
  /**
   * Proxies in front of the server whose `X-Forwarded-For` to trust: their number
   * (`true` for one), or their IPs and CIDR ranges (`['10.0.0.0/8']`). @default false
   */
  trustProxy?: TrustProxy | undefined
  /** Milliseconds to let in-flight requests finish on close before cutting connections. @default 10000 */
  shutdownTimeout?: number
  /**
   * Hosts and ranges webhooks may reach although they are loopback, private,
   * link-local or otherwise inside: host names (`*.name` for the names below
   * it), IP addresses and CIDR ranges, comma-separated or as a list; `''` or
   * `[]` for none. @default REDRESS_WEBHOOK_ALLOW, else none
   */
  webhookAllow?: string | readonly string[] | undefined
  /** Resolves webhook hosts (saved endpoints and every delivery). @default the system resolver */
  webhookLookup?: OutboundLookup | undefined
  /** The webhook delivery worker's options; `false` to not deliver from this process. @default {} */
  webhooks?: Omit<WebhookWorkerOptions, 'db'> | false
  /** The service-guarantee worker's options; `false` to not run it in this process. @default {} */
  guarantees?: Omit<GuaranteeWorkerOptions, 'db'> | false
  /** How mail is sent (see `MailOptions`); `false` to not run the mail worker in this process. @default {} */
  mail?: MailOptions | false
  /** The early-warning worker's options; `false` to not check alert rules in this process. @default {} */
  alerts?: Omit<AlertWorkerOptions, 'db'> | false
  /**
   * Where customers' photos are stored: a `BlobStore`, or a spec as
   * `REDRESS_BLOBS` takes it (`s3://KEY:SECRET@host:port/bucket?region=…`, or
   * a folder). @default REDRESS_BLOBS, else a `blobs` folder beside the embedded database
   */
  blobs?: BlobStore | string | undefined
  /** How often photos past their site's days are deleted, in ms; `false` for never in this process. @default 3600000 */
  pruneInterval?: number | false
  /**
   * A form sent sooner than this many milliseconds after it opened counts as a
   * bot's (no automatic remedy). @default REDRESS_MIN_FILL_MS, else 1500
   */
  minFillMs?: number | undefined
}

/**
 * A listening server, from `startServer`.
 *
 * @example
 * const server = await startServer({ port: 0, demoSite: true })
 * console.log(`${server.url}/admin/ with ${server.adminToken}`)
 * await server.close()
 */
export interface RunningServer {
  /** `http://host:port` */
  url: string
  port: number
  database: Database
  /** The demo site's admin token, when the demo site is on. */
  adminToken: string | undefined
  /** The webhook delivery worker, unless `webhooks: false`. */
  webhooks: WebhookWorker | undefined
  /** The service-guarantee worker, unless `guarantees: false`. */
  guarantees: GuaranteeWorker | undefined
  /** The mail worker, unless `mail: false`. */
  mail: MailWorker | undefined
  /** The early-warning worker, unless `alerts: false`. */
  alerts: AlertWorker | undefined
  /** Where customers' photos are stored. */
  blobs: BlobStore
  /** Stop accepting, let in-flight requests finish, close the database. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Open the database (migrating it), with `demoSite` make sure the demo site
 * exists, start the workers and listen.
 *
 * @example
 * const server = await startServer({ port: 0, dataDir: './.redress/data' })
 * console.log(server.url) // http://127.0.0.1:53211
 * await server.close()
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const database = await openDatabase(options)
  const requestedPort = options.port ?? 8787
  const origin = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const demoToken = options.adminToken ?? process.env.REDRESS_ADMIN_TOKEN
  const demoSite = options.demoSite === true
  let http: Server
  let adminToken: string | undefined
  let inflight = 0
  let draining = false
  let drained: (() => void) | undefined
  let webhooks: WebhookWorker | undefined
  let guarantees: GuaranteeWorker | undefined
  let mail: MailWorker | undefined
  let alerts: AlertWorker | undefined
  let pruner: Poller | undefined
  let blobs: BlobStore
  let secret: string
  // Checked before anything starts: a typo in the mail settings stops the server here.
  const mailOptions = options.mail === false ? undefined : (options.mail ?? {})
  const smtpUrl =
    mailOptions?.smtpUrl === undefined ? process.env.REDRESS_SMTP_URL || null : mailOptions.smtpUrl
  if (smtpUrl) checkSmtpUrl(smtpUrl)
  const publicUrlOption = mailOptions?.publicUrl ?? (process.env.REDRESS_PUBLIC_URL || undefined)
  const publicUrl = publicUrlOption === undefined ? undefined : checkPublicUrl(publicUrlOption)
  const defaultFrom = mailOptions?.from ?? (process.env.REDRESS_MAIL_FROM || null)
  if (defaultFrom !== null && !isMailAddress(defaultFrom))
    throw new Error(`REDRESS_MAIL_FROM is not an e-mail address: ${JSON.stringify(defaultFrom)}`)
  try {
    // The demo site exists before the first request can arrive.
    if (demoSite) {
      const ownOrigin = requestedPort === 0 ? undefined : origin(requestedPort)
      adminToken = (await ensureDemoSite(database.db, { ownOrigin, adminToken: demoToken }))
        .adminToken
    }
    secret = await loadSecret(database.db, options.secret ?? process.env.REDRESS_SECRET)
    // One policy for the admin API (checked when saved) and the worker (checked when sent).
    const outbound = outboundPolicy({ allow: options.webhookAllow, lookup: options.webhookLookup })
    if (options.alerts !== false) alerts = startAlertWorker({ ...options.alerts, db: database.db })
    blobs =
      typeof options.blobs === 'object'
        ? options.blobs
        : blobStoreFrom(options.blobs ?? process.env.REDRESS_BLOBS, options.dataDir)
    // Photos past their site's days go in rounds, beside the other workers.
    pruner = startPolling(() => pruneAttachments(database.db, blobs, { limit: 100 }), {
      interval: options.pruneInterval ?? 3_600_000,
      batchSize: 100,
      onError: reportTo('photo pruning round'),
    })
    const appOptions: AppOptions = {
      db: database.db,
      blobs,
      ...(alerts ? { onComplaint: alerts.noteComplaint } : {}),
      secret,
      ...(options.log === undefined ? {} : { log: options.log }),
      static: options.static === false ? undefined : { demo: demoSite, ...options.static },
      rateLimit: options.rateLimit,
      trustProxy: options.trustProxy,
      minFillMs: options.minFillMs ?? envNumber('REDRESS_MIN_FILL_MS'),
      outbound,
    }
    const app = createApp(appOptions)
    if (options.webhooks !== false)
      webhooks = startWebhookWorker({ outbound, ...options.webhooks, db: database.db })
    if (options.guarantees !== false)
      guarantees = startGuaranteeWorker({ ...options.guarantees, db: database.db })
    // Counts requests in flight, and once closing starts, turns new requests on
    // kept-alive connections away (503, retryable, Connection: close) so that
    // no work starts after the database is about to close.
    const fetch = async (request: Request, env: unknown) => {
      if (draining) {
        return new Response(
          JSON.stringify({
            error: { code: 'internal_error', message: 'The server is restarting; try again' },
          }),
          {
            status: 503,
            headers: {
              'content-type': 'application/json',
              connection: 'close',
              'retry-after': '1',
            },
          },
        )
      }
      inflight++
      try {
        return await app.fetch(request, env)
      } finally {
        if (--inflight === 0) drained?.()
      }
    }
    http = await new Promise<Server>((resolve, reject) => {
      const server = serve({ fetch, port: requestedPort, hostname: host }, () =>
        resolve(server as Server),
      ) as Server
      server.once('error', reject)
    })
  } catch (error) {
    await webhooks?.stop()
    await guarantees?.stop()
    await alerts?.stop()
    await pruner?.stop()
    await database.close()
    throw error
  }

  const port = (http.address() as AddressInfo).port
  const url = origin(port)
  if (mailOptions) {
    // Started once the port is known: without REDRESS_PUBLIC_URL, links point at this server.
    const { smtpUrl: _, transport, publicUrl: __, from: ___, ...timing } = mailOptions
    const log = options.log === false ? undefined : (options.log ?? jsonLogger)
    mail = startMailWorker({
      ...timing,
      db: database.db,
      secret,
      publicUrl: publicUrl ?? url,
      transport: transport ?? (smtpUrl ? smtpTransport(smtpUrl) : null),
      defaultFrom,
      ...(log ? { log } : {}),
    })
  }
  if (demoSite && requestedPort === 0) {
    // Only now is the port known: allow the server's own origin too.
    await ensureDemoSite(database.db, { ownOrigin: url, adminToken: adminToken })
  }

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      draining = true
      // Live streams never end by themselves: end them now, before the database closes.
      const streamsEnded = endLiveStreams(database.db)
      // The worker's round in progress finishes (each request has its own timeout).
      const workersStopped = Promise.all([
        webhooks?.stop(),
        guarantees?.stop(),
        mail?.stop(),
        alerts?.stop(),
        pruner?.stop(),
      ])
      http.close()
      // Keep-alive connections with no request in flight would hold the server open.
      http.closeIdleConnections()
      // In-flight requests finish (within the timeout) before the database closes.
      await new Promise<void>((resolve) => {
        if (inflight === 0) return resolve()
        drained = resolve
        setTimeout(resolve, options.shutdownTimeout ?? 10_000).unref()
      })
      await streamsEnded
      http.closeAllConnections()
      await workersStopped
      await database.close()
    })()
    return closing
  }

  return { url, port, database, adminToken, webhooks, guarantees, mail, alerts, blobs, close }
}
