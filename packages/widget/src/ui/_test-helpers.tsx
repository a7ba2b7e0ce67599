// Mounts the real UI on a real SDK instance inside a shadow root, as the glue does.

import type { Adapter, Redress, RedressOptions } from '@redress/sdk'
import { createRedress, type MemoryAdapter, memoryAdapter, memoryStorage } from '@redress/sdk'
import { within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach } from 'vitest'
import { type DeepPartial, loadMessages, type Messages, withOverrides } from '../i18n'
import { type Category, DEFAULT_CATEGORIES } from '../types'
import { type MountOptions, mountUI } from './index'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

export interface SetupOptions {
  locale?: 'en' | 'zh-CN'
  adapter?: Adapter
  categories?: readonly Category[]
  overrides?: DeepPartial<Messages>
  /** More options for `createRedress`. */
  sdk?: Partial<RedressOptions>
  /** Runs before the UI subscribes, as host code that loaded first would. */
  before?: (redress: Redress) => void
  /** A receipt kept from an earlier page. */
  resume?: MountOptions['resume']
  onDeflect?: MountOptions['onDeflect']
  photos?: MountOptions['photos']
}

export async function setup(options: SetupOptions = {}) {
  const adapter = (options.adapter ?? memoryAdapter()) as MemoryAdapter
  const locale = options.locale ?? 'en'
  const redress = createRedress({
    site: 'pk_test',
    adapter,
    storage: memoryStorage(),
    locale,
    // Far enough that no retry happens during a test.
    retry: { baseDelay: 600_000 },
    onError: (error) => {
      throw error
    },
    ...options.sdk,
  })
  options.before?.(redress)
  const host = document.body.appendChild(document.createElement('div'))
  const root = host.attachShadow({ mode: 'open' })
  const container = root.appendChild(document.createElement('div'))
  const launcher = root.appendChild(document.createElement('button'))
  const messages = withOverrides(await loadMessages(locale), options.overrides ?? {})
  const ui = mountUI({
    container,
    redress,
    messages,
    locale,
    categories: options.categories ?? DEFAULT_CATEGORIES,
    launcher,
    resume: options.resume,
    onDeflect: options.onDeflect,
    photos: options.photos,
  })
  cleanups.push(() => {
    ui.destroy()
    redress.destroy()
    host.remove()
  })
  const screen = within(container)
  const user = userEvent.setup({ document })
  const dialog = () => container.querySelector('dialog')!
  const live = () => container.querySelector('[aria-live]')!.textContent!.trim()
  const active = () => root.activeElement

  /** Open the dialog and fill the required fields. */
  const fill = async (description = 'The parcel never came.') => {
    redress.open()
    await user.selectOptions(await screen.findByLabelText('What went wrong?'), 'order')
    await user.click(screen.getByLabelText('It caused me real trouble'))
    await user.type(screen.getByLabelText('What happened?'), description)
  }
  const send = () => user.click(screen.getByRole('button', { name: 'Send' }))

  return {
    adapter,
    redress,
    messages,
    host,
    root,
    container,
    launcher,
    ui,
    screen,
    user,
    dialog,
    live,
    active,
    fill,
    send,
  }
}
