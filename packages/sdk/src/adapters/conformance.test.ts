// Every built-in adapter passes the conformance suite third parties run.
import { afterAll, beforeAll, describe } from 'vitest'
import { type ProtocolServer, startProtocolServer } from '../../test/protocol-server'
import { httpAdapter } from '../http'
import { testAdapter } from '../testing'
import { callbackAdapter } from './callback'
import { memoryAdapter } from './memory'

describe('memoryAdapter', () => {
  testAdapter({ adapter: memoryAdapter() })
})

describe('callbackAdapter', () => {
  // A host backend reached through a callback; here it keeps complaints in memory.
  const backend = memoryAdapter()
  testAdapter({
    adapter: callbackAdapter(
      ({ complaint, idempotencyKey, signal }) =>
        backend.submit(complaint, { idempotencyKey, signal }),
      {
        status: ({ receipt, signal }) => backend.status(receipt, { signal }),
        followUp: ({ receipt, answer, signal }) => backend.followUp(receipt, answer, { signal }),
      },
    ),
  })
})

describe('httpAdapter against a wire-protocol v1 server on 127.0.0.1', () => {
  let server: ProtocolServer
  beforeAll(async () => {
    server = await startProtocolServer()
  })
  afterAll(() => server.close())
  testAdapter({ adapter: () => httpAdapter({ endpoint: server.url }) })
})
