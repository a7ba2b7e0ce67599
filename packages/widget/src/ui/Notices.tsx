import type { State } from './_state'

/** Known-issue banners, outside the dialog so they show without opening it. */
export function Notices({ s }: { s: State }) {
  return (
    <div class="ns" lang={s.options.locale} dir={s.dir}>
      {s.notices.value.map((notice) => (
        <div role="status" class={notice.level === 'warning' ? 'n w' : 'n'}>
          <p>{notice.message}</p>
          <button
            type="button"
            class="x"
            aria-label={s.m.close}
            onClick={() => {
              s.notices.value = s.notices.value.filter((other) => other !== notice)
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
