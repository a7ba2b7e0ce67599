import { httpAdapter } from '@redress/sdk/http'
import { testAdapter } from '@redress/sdk/testing'
import { describeEachDatabase, useServer } from '../../_test-harness'

describeEachDatabase('httpAdapter against the real server on 127.0.0.1', (database) => {
  const server = useServer(database)
  testAdapter({ adapter: () => httpAdapter({ endpoint: server().url }) })
})
