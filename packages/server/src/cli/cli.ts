#!/usr/bin/env node
/**
 * @module The `redress` command: `redress serve`, `redress site create`,
 * `redress migrate`.
 */
import { parseArgs } from 'node:util'
import { openDatabase } from '../db'
import { parseTrustProxy, type RateLimitOptions, type TrustProxy } from '../http/rate-limit'
import { createSite } from '../sites'
import { startServer } from './server'

const HELP = `Usage:
  redress serve [--port 8787] [--host 127.0.0.1] [--data ./.redress/data] [--demo]
  redress site create --name "Acme Mugs" --origin https://shop.example [--origin …] [--data …]
  redress migrate [--data …]

serve: the API, the widget at /redress.js and the owner's inbox at /admin/;
--demo adds the demo site pk_demo, its page at / and its stand-in shop backend.
Storage: PGlite in --data (default ./.redress/data), or PostgreSQL when
DATABASE_URL=postgres://… is set. Environment: PORT, HOST, DATABASE_URL,
REDRESS_ADMIN_TOKEN (the demo site's admin token), REDRESS_SECRET,
REDRESS_RATE_LIMIT_IP and REDRESS_RATE_LIMIT_SITE (new complaints a minute per
client IP and per site; default 10 and 600; 0 turns one off), REDRESS_TRUST_PROXY
(whose X-Forwarded-For to believe about the client's IP: the number of proxies
in front of the server, e.g. 1, or their IPs and CIDR ranges, e.g.
10.0.0.0/8,192.168.1.5,fd00::/8; default none, the socket's peer is the client).
REDRESS_WEBHOOK_ALLOW (hosts and ranges webhooks may reach although they are
loopback, private, link-local or metadata addresses: host names, *.name for
the names below it, IPs and CIDR ranges, e.g. 127.0.0.1/32,localhost,hooks.internal;
default none). Mail: REDRESS_SMTP_URL (the SMTP server, e.g.
smtp://user:pass@mail.example:587 or smtps://…:465; unset, no mail is sent and
each one is logged and marked not_sent), REDRESS_PUBLIC_URL (where the links in
mails point, e.g. https://care.shop.example; default the server's own URL),
REDRESS_MAIL_FROM (the From address of sites that set none).`

const fail = (message: string): never => {
  process.stderr.write(`redress: ${message}\n\n${HELP}\n`)
  process.exit(2)
}

/** A non-negative integer from the environment, or `fallback` when unset. */
function envCount(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a whole number ≥ 0`)
  return value
}

/** `REDRESS_TRUST_PROXY`: a number of proxies or their IPs/CIDR ranges; unset trusts none. */
function trustProxyFromEnv(): TrustProxy {
  const text = process.env.REDRESS_TRUST_PROXY
  if (text === undefined || text.trim() === '') return false
  try {
    return parseTrustProxy(text)
  } catch (error) {
    // Starting with a typo would count every client as the proxy, or trust a forged header.
    return fail(`REDRESS_TRUST_PROXY: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** `REDRESS_RATE_LIMIT_IP` / `_SITE`: complaints a minute; 0 turns that limit off. */
function rateLimitFromEnv(): RateLimitOptions {
  const perMinute = (name: string, fallback: number) => {
    const limit = envCount(name, fallback)
    return limit === 0 ? (false as const) : { limit, windowSeconds: 60 }
  }
  return {
    perIp: perMinute('REDRESS_RATE_LIMIT_IP', 10),
    perSite: perMinute('REDRESS_RATE_LIMIT_SITE', 600),
  }
}

async function serve(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      demo: { type: 'boolean' },
    },
  })
  const port = Number(values.port ?? process.env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${values.port}`)
  const server = await startServer({
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    url: process.env.DATABASE_URL || undefined,
    dataDir: values.data ?? process.env.REDRESS_DATA,
    rateLimit: rateLimitFromEnv(),
    trustProxy: trustProxyFromEnv(),
    demoSite: values.demo === true,
  })
  const demo = values.demo === true
  process.stdout.write(
    [
      `Redress listening on ${server.url}`,
      `  database: ${server.database.kind} (${server.database.location})`,
      demo
        ? `  demo page: ${server.url}/   widget: ${server.url}/redress.js`
        : `  widget: ${server.url}/redress.js`,
      `  owner's inbox: ${server.url}/admin/`,
      ...(demo ? [`  demo site: pk_demo   admin token: ${server.adminToken}`] : []),
      '',
    ].join('\n'),
  )
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${signal}: finishing in-flight requests, then closing the database\n`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`redress: shutdown failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

async function siteCreate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      data: { type: 'string' },
    },
  })
  if (!values.name) fail('site create needs --name')
  const database = await openDatabase({
    url: process.env.DATABASE_URL || undefined,
    dataDir: values.data ?? process.env.REDRESS_DATA,
  })
  try {
    const { site, adminToken } = await createSite(database.db, {
      name: values.name!,
      origins: values.origin ?? [],
    })
    process.stdout.write(
      [
        `Created site ${JSON.stringify(site.name)}`,
        `  public key:  ${site.public_key}   (data-site="${site.public_key}")`,
        `  admin token: ${adminToken}   (shown once; only its hash is stored)`,
        `  origins:     ${(site.origins as string[]).join(', ') || '(none: only server-side calls)'}`,
        '',
      ].join('\n'),
    )
  } finally {
    await database.close()
  }
}

async function migrateCommand(args: string[]) {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } })
  const database = await openDatabase({
    url: process.env.DATABASE_URL || undefined,
    dataDir: values.data ?? process.env.REDRESS_DATA,
  })
  await database.close()
  process.stdout.write(`Migrated ${database.kind} (${database.location})\n`)
}

async function main(argv: string[]) {
  const [command, ...rest] = argv
  if (command === 'serve') return serve(rest)
  if (command === 'migrate') return migrateCommand(rest)
  if (command === 'site' && rest[0] === 'create') return siteCreate(rest.slice(1))
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`)
    return
  }
  fail(`unknown command ${[command, ...rest.slice(0, 1)].join(' ')}`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`redress: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
