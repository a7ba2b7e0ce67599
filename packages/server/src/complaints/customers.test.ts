import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { toApiError } from '../http/errors'
import { checkCustomerToken, signCustomerToken, verifiedFacts } from './customers'

const docs = fileURLToPath(new URL('../../../../docs/customer-tokens.md', import.meta.url))

/** The value after `label` on its line in the docs' "exact bytes" block, or in its list item. */
async function documented() {
  const text = await readFile(docs, 'utf8')
  const line = (label: string) => new RegExp(`^${label}\\s+(\\S+)$`, 'm').exec(text)?.[1]
  const code = [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!)
  const token = /^(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)$/m.exec(text)?.[1]
  return {
    secret: line('secret')!,
    header: line('header')!,
    payload: line('payload')!,
    hex: code.find((value) => /^[0-9a-f]{64}$/.test(value))!,
    token: token!,
  }
}

describe('the documented customer token', () => {
  it('is the HMAC-SHA256 of the documented bytes, and the server accepts it', async () => {
    const { secret, header, payload, hex, token } = await documented()
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
    const input = `${b64(header)}.${b64(payload)}`
    const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest()
    expect(mac.toString('hex')).toBe(hex)
    expect(token).toBe(`${input}.${mac.toString('base64url')}`)

    const { iat } = JSON.parse(payload) as { iat: number }
    const customer = await checkCustomerToken(
      token,
      { publicKey: 'pk_demo', secrets: [{ id: 'vsk_doc', secret }] },
      new Date((iat + 60) * 1000),
    )
    expect(customer).toEqual({
      id: 'cus_42',
      email: 'ana@example.com',
      name: null,
      orders: [{ ref: 'A-1001', value: 4200, currency: 'EUR' }],
    })
  })
})

describe('checkCustomerToken', () => {
  const site = { publicKey: 'pk_shop', secrets: [{ id: 'vsk_new', secret: 'vsec_new' }] }
  const sign = (claims: Record<string, unknown>, secret = 'vsec_new', kid?: string) =>
    signCustomerToken(
      secret,
      { aud: 'pk_shop', sub: 'cus_1', ...claims } as never,
      kid ? { kid } : {},
    )
  const refusal = async (token: string, secrets = site.secrets) => {
    try {
      await checkCustomerToken(token, { ...site, secrets })
    } catch (error) {
      // What the client gets: the app's `onError` maps the domain error the same way.
      return toApiError(error) as { status: number; code: string; message: string }
    }
    throw new Error('accepted')
  }

  it('refuses what is not a signed HS256 JWT, naming the problem', async () => {
    expect((await refusal('not a token')).message).toMatch(/compact JWT/)
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`
    expect((await refusal(none)).message).toMatch(/HS256/)
    expect(await refusal(await sign({}), [])).toMatchObject({
      status: 401,
      code: 'invalid_customer_token',
      message: expect.stringMatching(/no verification secret/),
    })
  })

  it('refuses malformed claims: orders, their values, a missing subject', async () => {
    const bad = [
      [{ orders: 'A-1' }, /orders must be an array/],
      [{ orders: [{ ref: 'A-1', value: -5, currency: 'EUR' }] }, /value must be whole minor units/],
      [
        { orders: [{ ref: 'A-1', value: 1.5, currency: 'EUR' }] },
        /value must be whole minor units/,
      ],
      [{ orders: [{ ref: 'A-1', value: 100, currency: 'eur' }] }, /currency/],
      [{ orders: [{ ref: 'A\u0000', value: 100, currency: 'EUR' }] }, /ref/],
      [
        {
          orders: Array.from({ length: 21 }, (_, i) => ({
            ref: `A-${i}`,
            value: 1,
            currency: 'EUR',
          })),
        },
        /at most 20/,
      ],
      [{ sub: '' }, /sub/],
      [{ email: 42 }, /email/],
    ] as const
    for (const [claims, message] of bad) {
      expect((await refusal(await sign(claims))).message).toMatch(message)
    }
  })

  it('picks the secret the header names, and tries every valid one without a name', async () => {
    const secrets = [
      { id: 'vsk_new', secret: 'vsec_new' },
      { id: 'vsk_old', secret: 'vsec_old' },
    ]
    const old = await sign({}, 'vsec_old')
    await expect(checkCustomerToken(old, { ...site, secrets })).resolves.toMatchObject({
      id: 'cus_1',
    })
    await expect(
      checkCustomerToken(await sign({}, 'vsec_old', 'vsk_old'), { ...site, secrets }),
    ).resolves.toMatchObject({ id: 'cus_1' })
    // Named the new secret but signed with the old: refused.
    expect((await refusal(await sign({}, 'vsec_old', 'vsk_new'), secrets)).message).toMatch(
      /signature/,
    )
  })
})

describe('verifiedFacts', () => {
  const customer = {
    id: 'cus_1',
    email: null,
    name: null,
    orders: [
      { ref: 'A-1', value: 1000, currency: 'EUR' },
      { ref: 'A-2', value: 2000, currency: 'EUR' },
    ],
  }

  it('takes the order the complaint names, the only one when it names none, else none', () => {
    expect(verifiedFacts(customer, 'A-2').order?.value).toBe(2000)
    expect(verifiedFacts(customer, 'B-9').order).toBeNull()
    expect(verifiedFacts(customer, undefined).order).toBeNull()
    expect(
      verifiedFacts({ ...customer, orders: [customer.orders[0]!] }, undefined).order?.ref,
    ).toBe('A-1')
  })
})
