// Photos with a complaint, against the real collector: the customer adds a
// photo, sends offline, reloads, comes back online; the complaint and its photo
// arrive once, downscaled and re-encoded in the browser, and the owner sees the
// thumbnail in the inbox. The picker's code loads only when asked for.
import { readFileSync } from 'node:fs'
import { expect, type Page, test } from '@playwright/test'
import { ADMIN, COLLECTOR, dialog, launcher, stored, storedOnce, unique } from './_helpers'

const PNG = readFileSync(new URL('../../server/src/attachments/_fixtures/mug.png', import.meta.url))
const flag = 'redress:photos:pk_demo'

/** The photos the widget keeps in IndexedDB, not yet uploaded. */
const keptPhotos = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('redress-photos:pk_demo', 1)
        open.onupgradeneeded = () => open.result.createObjectStore('photos', { keyPath: 'key' })
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const count = open.result.transaction('photos').objectStore('photos').count()
          count.onsuccess = () => {
            open.result.close()
            resolve(count.result)
          }
        }
      }),
  )

/** A PNG of `width` × `height` drawn in the page, as a file a camera would give. */
const bigPng = async (page: Page, width: number, height: number) => {
  const base64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = new OffscreenCanvas(w!, h!)
      const g = canvas.getContext('2d')!
      g.fillStyle = '#c33'
      g.fillRect(0, 0, w!, h!)
      g.fillStyle = '#36c'
      g.fillRect(w! / 4, h! / 4, w! / 2, h! / 2)
      const bytes = new Uint8Array(await (await canvas.convertToBlob()).arrayBuffer())
      let text = ''
      for (const byte of bytes) text += String.fromCharCode(byte)
      return btoa(text)
    },
    [width, height],
  )
  return { name: 'IMG_0001.png', mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') }
}

test('a photo sent offline, across a reload, arrives once with its complaint; the owner sees it', async ({
  page,
  context,
  request,
}) => {
  const description = unique('The mug arrived broken, see the photo')
  const chunks: string[] = []
  page.on('request', (r) => chunks.push(new URL(r.url()).pathname))
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  const form = dialog(page)
  await form.getByLabel('What went wrong?').selectOption('broken')
  await form.getByLabel('A small annoyance').check()
  await form.getByLabel('What happened?').fill(description)
  const before = chunks.length

  // The picker's code comes only now.
  await form.getByRole('button', { name: 'Add a photo' }).click()
  await form.locator('input[type=file]').setInputFiles({
    name: 'mug.png',
    mimeType: 'image/png',
    buffer: PNG,
  })
  await expect(form.getByRole('img', { name: 'Photo 1' })).toBeVisible()
  const picker = (path: string) => /redress-picker-[\w-]+\.js$/.test(path)
  expect(chunks.slice(0, before).some(picker)).toBe(false)
  expect(chunks.slice(before).some(picker)).toBe(true)

  // Offline: the complaint and its photo stay in the browser.
  let attempts = 0
  await context.route('**/v1/complaints**', (route) => {
    attempts++
    return route.abort('internetdisconnected')
  })
  await context.setOffline(true)
  await form.getByRole('button', { name: 'Send' }).click()
  await expect(form.getByText("We're sorry this happened.", { exact: false }).first()).toBeVisible()
  await expect.poll(() => keptPhotos(page)).toBe(1)
  expect(await page.evaluate((key) => localStorage.getItem(key), flag)).toBe('1')
  expect(await stored(request, description)).toHaveLength(0)

  // Reloaded, still offline; its files come from here, as from a cache.
  await context.route(/\/(__fixtures|script-tag)\/|\/redress[\w.-]*\.js$/, async (route) =>
    route.fulfill({ response: await route.fetch() }),
  )
  await context.grantPermissions(['local-network-access'], {
    origin: new URL(page.url()).origin,
  })
  await page.reload()
  await expect(launcher(page)).toBeVisible()
  // Nobody touches the widget: it loads at idle and tries again.
  await expect.poll(() => attempts).toBeGreaterThanOrEqual(2)
  expect(await keptPhotos(page)).toBe(1)

  await context.unroute('**/v1/complaints**')
  await context.setOffline(false)
  const entry = await storedOnce(request, description)
  await expect
    .poll(async () => (await storedOnce(request, description)).attachments?.length)
    .toBe(1)
  // Gone from the browser once the collector has it.
  await expect.poll(() => keptPhotos(page)).toBe(0)
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), flag)).toBeNull()
  const [photo] = (await storedOnce(request, description)).attachments!
  // Re-encoded in the browser: WebP, the same size (it was small), the EXIF gone with it.
  expect(photo).toMatchObject({ type: 'image/webp', width: 40, height: 30 })
  expect((await stored(request, description)).length).toBe(1)

  // The owner opens it in the inbox and sees the thumbnail.
  const owner = await context.newPage()
  await owner.goto(`${COLLECTOR}/admin/`)
  await owner.getByRole('button', { name: 'Use an admin token instead' }).click()
  await owner.getByLabel('Admin token').fill(ADMIN.authorization.replace('Bearer ', ''))
  await owner.getByRole('button', { name: 'Sign in' }).click()
  await owner.goto(`${COLLECTOR}/admin/#/complaints/${entry.id}`)
  const open = owner.getByRole('button', { name: 'Show photo 1 larger' })
  const thumb = open.getByAltText('Photo 1 from the customer (40 × 30)')
  await expect(thumb).toBeVisible()
  // Decoded: the bytes the admin API served are the photo.
  expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40)
  await open.click()
  const larger = owner.getByRole('dialog', { name: 'Photo 1 from the customer (40 × 30)' })
  await expect(larger).toBeVisible()
  await larger.getByRole('button', { name: 'Close the photo' }).click()
  await expect(larger).toBeHidden()
  await owner.screenshot({ path: test.info().outputPath('photo-in-inbox.png') })
})

test('a large photo is downscaled to 1600 px on its long side before it is sent', async ({
  page,
  request,
}) => {
  const description = unique('A large photo')
  await page.goto('/__fixtures/page.html')
  await launcher(page).click()
  const form = dialog(page)
  await form.getByLabel('What went wrong?').selectOption('broken')
  await form.getByLabel('A small annoyance').check()
  await form.getByLabel('What happened?').fill(description)
  await form.getByRole('button', { name: 'Add a photo' }).click()
  await form.locator('input[type=file]').setInputFiles(await bigPng(page, 3200, 2000))
  await expect(form.getByRole('img', { name: 'Photo 1' })).toBeVisible()
  await form.getByRole('button', { name: 'Send' }).click()
  await expect
    .poll(async () => (await stored(request, description))[0]?.attachments?.length ?? 0)
    .toBe(1)
  const [photo] = (await storedOnce(request, description)).attachments!
  expect(photo).toMatchObject({ type: 'image/webp', width: 1600, height: 1000 })
  expect(photo!.size).toBeLessThan(5 * 1024 * 1024)
  // The bytes the owner gets are what the collector checked.
  const served = await request.get(`${COLLECTOR}${photo!.url}`, { headers: ADMIN })
  expect(served.headers()['content-type']).toBe('image/webp')
  expect(served.headers()['x-content-type-options']).toBe('nosniff')
})
