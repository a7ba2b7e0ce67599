// @vitest-environment happy-dom
// In a page: the outbox lives in localStorage and outlasts the instance.
import { afterEach, expect, it } from 'vitest'
import { createRedress, memoryAdapter, type Redress } from './index'

const instances: Redress[] = []
afterEach(() => {
  for (const redress of instances.splice(0)) redress.destroy()
  localStorage.clear()
})

it('keeps queued complaints in localStorage and sends them from the next page', async () => {
  const down = {
    name: 'down',
    submit: () => Promise.reject(Object.assign(new Error('offline'), { retryable: true })),
  }
  document.title = 'Checkout'
  const first = createRedress({ site: 'pk_shop', adapter: down, retry: { baseDelay: 60_000 } })
  instances.push(first)
  const { id, complaint } = first.submit({
    category: 'billing',
    severity: 'major',
    description: 'Charged twice',
  })
  expect(complaint.page).toEqual({ url: location.href, title: 'Checkout' })
  expect(JSON.parse(localStorage.getItem('redress:outbox:pk_shop')!)).toMatchObject([{ id }])
  first.destroy()

  const backend = memoryAdapter()
  const second = createRedress({ site: 'pk_shop', adapter: backend })
  instances.push(second)
  const sent = await new Promise((resolve) => second.on('complaint:sent', resolve))
  // The same complaint, as JSON keeps it.
  expect(sent).toMatchObject({ id, complaint: JSON.parse(JSON.stringify(complaint)) })
  expect(backend.list()).toHaveLength(1)
  expect(localStorage.getItem('redress:outbox:pk_shop')).toBe('[]')
})

it('keeps sites apart', () => {
  const adapter = { name: 'never', submit: () => new Promise<never>(() => {}) }
  const a = createRedress({ site: 'pk_a', adapter })
  const b = createRedress({ site: 'pk_b', adapter })
  instances.push(a, b)
  a.submit({ category: 'other', severity: 'minor', description: 'A' })
  expect(a.pending()).toHaveLength(1)
  expect(b.pending()).toHaveLength(0)
})

it('keeps a complaint in memory when localStorage is full', async () => {
  const adapter = { name: 'never', submit: () => new Promise<never>(() => {}) }
  const redress = createRedress({ site: 'pk_full', adapter })
  instances.push(redress)
  const setItem = Storage.prototype.setItem
  Storage.prototype.setItem = () => {
    throw new DOMException('Quota exceeded', 'QuotaExceededError')
  }
  try {
    const { id } = redress.submit({
      category: 'other',
      severity: 'minor',
      description: 'Still here',
    })
    expect(redress.pending().map((entry) => entry.id)).toEqual([id])
  } finally {
    Storage.prototype.setItem = setItem
  }
})
