import { cleanup, render, screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { signIn, signOut } from '../lib/state'
import type { AttachmentView } from '../lib/types'
import '../test/locales'
import { complaint } from '../test/fake-data'
import { Photos } from './Photos'

const photo = (n: number): AttachmentView => ({
  id: `att_${n}`,
  type: 'image/webp',
  size: 1000 * n,
  width: 800,
  height: 600,
  createdAt: '2026-12-04T10:00:00.000Z',
  name: `photo-${n}.webp`,
  url: `/v1/admin/complaints/cmp_1/attachments/att_${n}`,
})

afterEach(() => {
  cleanup()
  signOut()
  vi.unstubAllGlobals()
})

describe('the customer’s photos', () => {
  it('fetches each with the admin credentials and shows it, larger on click', async () => {
    const asked: Array<{ url: string; authorization: string | undefined }> = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      asked.push({ url, authorization: (init.headers as Record<string, string>).authorization })
      return url.endsWith('att_2')
        ? new Response('{}', { status: 404 })
        : new Response(new Blob(['bytes'], { type: 'image/webp' }))
    })
    signIn('rdk_photos')
    render(<Photos detail={complaint({ attachments: [photo(1), photo(2)] })} />)
    const thumb = await screen.findByRole('img', { name: 'Photo 1 from the customer (800 × 600)' })
    expect(thumb.getAttribute('src')).toMatch(/^blob:/)
    expect(asked).toEqual([
      { url: photo(1).url, authorization: 'Bearer rdk_photos' },
      { url: photo(2).url, authorization: 'Bearer rdk_photos' },
    ])
    // One that cannot be loaded says so, in words.
    expect(await screen.findByText('Photo 2 could not be loaded.')).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'Show photo 1 larger' }))
    await waitFor(() =>
      expect(
        screen.getAllByRole('img', { name: 'Photo 1 from the customer (800 × 600)' }),
      ).toHaveLength(2),
    )
    expect(screen.getByRole('button', { name: 'Close the photo' })).toBeTruthy()
  })

  it('shows nothing for a complaint without photos, or from a server without them', () => {
    signIn('rdk_photos')
    const { container } = render(<Photos detail={complaint({ attachments: [] })} />)
    expect(container.textContent).toBe('')
    render(<Photos detail={complaint()} />)
    expect(screen.queryByRole('heading', { name: 'Photos from the customer' })).toBeNull()
  })
})
