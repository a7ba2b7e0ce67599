import type { Receipt } from '@redress/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminFetch, describeEachDatabase, expectJson, submitComplaint } from '../_test-harness'
import { type Database, openDatabase } from '../db'
import { type SmtpReceiver, startSmtp, useMailServer } from './_test-smtp'
import { smtpTransport } from './transport'
import { type MailWorker, startMailWorker } from './worker'

describeEachDatabase('the mail worker', (database) => {
  let smtp: SmtpReceiver
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp.close())
  const get = useMailServer(database, () => smtp.url)
  const base = () => get().server.url
  const admin = (path: string, init?: Parameters<typeof adminFetch>[3]) =>
    adminFetch(base(), 'test-admin-token', path, init)
  const reply = async (receipt: Receipt, message: string) =>
    expectJson(
      await admin(`/complaints/${receipt.id}/replies`, { method: 'POST', body: { message } }),
      201,
    )
  const worker = (db: Database['db'], transport = smtpTransport(smtp.url)): MailWorker =>
    startMailWorker({
      db,
      secret: 'test-secret',
      publicUrl: base(),
      transport,
      interval: false,
      batchSize: 7,
      now: get().now,
    })

  beforeAll(async () => {
    await expectJson(
      await admin('/site', { method: 'PATCH', body: { mail: { from: 'care@acme.example' } } }),
    )
  })

  it('two workers at once never send the same mail twice', async () => {
    const receipts: Receipt[] = []
    for (let n = 0; n < 30; n++)
      receipts.push(await submitComplaint(base(), { contact: { email: `many${n}@example.com` } }))
    for (const receipt of receipts) await reply(receipt, 'On its way.')
    // On PostgreSQL the second worker has its own pool, like another process.
    const other: Database | undefined =
      database().name === 'PostgreSQL' ? await openDatabase(get().options) : undefined
    const a = worker(get().server.database.db)
    const b = worker(other?.db ?? get().server.database.db)
    const take = async (w: MailWorker) => {
      let taken = 0
      for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) taken += n
      return taken
    }
    try {
      const [takenA, takenB] = await Promise.all([take(a), take(b)])
      expect(takenA + takenB).toBe(30)
      if (other) expect(Math.min(takenA, takenB)).toBeGreaterThan(0)
    } finally {
      await a.stop()
      await b.stop()
      await other?.close()
    }
    for (let n = 0; n < 30; n++) expect(smtp.to(`many${n}@example.com`)).toHaveLength(1)
  })

  it('sends again with the same Message-ID after an attempt that died, and says so', async () => {
    const receipt = await submitComplaint(base(), { contact: { email: 'crash@example.com' } })
    await reply(receipt, 'We are on it.')
    // A process that hands the message over, then dies before it records the outcome.
    const real = smtpTransport(smtp.url)
    let handedOver!: () => void
    const over = new Promise<void>((resolve) => {
      handedOver = resolve
    })
    const dying = worker(get().server.database.db, {
      async send(mail) {
        await real.send(mail)
        handedOver()
        return new Promise(() => {})
      },
      close: () => real.close(),
    })
    void dying.runOnce()
    await over
    expect(smtp.to('crash@example.com')).toHaveLength(1)

    // Its lease runs out; the server's own worker takes the row again.
    expect(await get().drain()).toBe(0)
    get().advance(11 * 60_000)
    expect(await get().drain()).toBe(1)
    const arrived = smtp.to('crash@example.com')
    expect(arrived).toHaveLength(2)
    expect(arrived[1]!.messageId).toBe(arrived[0]!.messageId)
    expect(arrived[1]!.mail.text).toBe(arrived[0]!.mail.text)
    const row = await get()
      .server.database.db.selectFrom('mail_messages')
      .selectAll()
      .where('complaint_id', '=', receipt.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ state: 'sent', attempts: 2, sending_since: null })
    expect(row.last_error).toContain('an earlier attempt ended without an outcome')
    expect(row.message_id).toBe(arrived[0]!.messageId)
  })

  it('gives up after the last retry: failed, on the timeline, not sent again', async () => {
    smtp.rule = (to) => (to === 'down@example.com' ? 452 : undefined)
    const receipt = await submitComplaint(base(), { contact: { email: 'down@example.com' } })
    await reply(receipt, 'Hello?')
    for (let attempt = 0; attempt < 9; attempt++) {
      expect(await get().drain()).toBe(1)
      get().advance(13 * 3_600_000)
    }
    expect(await get().drain()).toBe(0)
    expect(smtp.attempts.get('down@example.com')).toBe(9)
    const view = await expectJson(await admin(`/complaints/${receipt.id}`))
    expect(
      view.mails.map((mail: { state: string; attempts: number }) => [mail.state, mail.attempts]),
    ).toEqual([['failed', 9]])
    expect(view.mails[0].lastError).toContain('452')
    expect(
      view.timeline
        .filter((event: { type: string }) => event.type === 'mail_delivery')
        .map((event: { data: { state: string } }) => event.data.state),
    ).toEqual(['failed'])
    smtp.rule = () => undefined
  })
})
