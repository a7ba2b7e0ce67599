import { LIMITS, SEVERITIES } from '@redress/protocol'
import type { Category } from '../types'
import { fill } from './_format'
import type { Field, State } from './_state'

// Links come from the site's configuration, but a `javascript:` one would still run on click.
const UNSAFE = /^\s*(javascript|data|vbscript):/i

/** The complaint form: what went wrong, how bad, what happened, and how to reply. */
export function Form({ s }: { s: State }) {
  const { m, uid, options } = s
  const { locale, categories } = options
  const draft = s.draft.value
  const errors = s.errors.value
  const picked = categories.find((c) => c.id === draft.category)
  const left = LIMITS.description - draft.description.length

  const name = ({ id, label }: Category) =>
    typeof label === 'string'
      ? label
      : (label?.[locale] ?? label?.[locale.split('-')[0]!] ?? m.categories[id] ?? label?.en ?? id)

  // Ties a control to its error and hint, so both are read with it.
  const describe = (field: Field, hint?: string | false) => ({
    'aria-invalid': !!errors[field] || undefined,
    'aria-describedby':
      [errors[field] && `${uid}${field}-e`, hint].filter(Boolean).join(' ') || undefined,
  })
  const error = (field: Field | 'form') =>
    errors[field] && (
      <p id={`${uid}${field}-e`} class="er">
        {errors[field]}
      </p>
    )
  // A labelled control bound to the draft, its hint, then its error.
  const field = (
    field: Field,
    Control: 'input' | 'select' | 'textarea',
    props: Record<string, unknown>,
    hint?: string | false,
  ) => (
    <>
      <label for={uid + field}>{m[field as 'email']}</label>
      <Control
        id={uid + field}
        value={draft[field]}
        onInput={(event) => s.set(field, event.currentTarget.value)}
        {...describe(field, hint && `${uid}${field}-h`)}
        {...props}
      />
      {hint && (
        <p id={`${uid}${field}-h`} class="h">
          {hint}
        </p>
      )}
      {error(field)}
    </>
  )

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        s.submit()
      }}
    >
      <h2 id={`${uid}h`}>{m.title}</h2>
      {options.guarantee && <p class="h">{fill(m.promise, { text: options.guarantee })}</p>}
      {field('category', 'select', {
        'data-first': true,
        'aria-required': true,
        children: [
          <option value="">{m.choose}</option>,
          ...categories.map((category) => <option value={category.id}>{name(category)}</option>),
        ],
      })}
      {picked && (picked.answer || !!picked.help?.length) && (
        <div class="c">
          {m.help}
          {picked.answer && <p class="ha">{picked.answer}</p>}
          {!!picked.help?.length && (
            <ul>
              {picked.help.map((link) => (
                <li>
                  <a
                    href={UNSAFE.test(link.url) ? undefined : link.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    onClick={() => s.helpOpened(picked.id)}
                  >
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <fieldset>
        <legend>{m.severity}</legend>
        {SEVERITIES.map((severity) => (
          <label class="o">
            <input
              type="radio"
              name={`${uid}severity`}
              checked={draft.severity === severity}
              onChange={() => s.set('severity', severity)}
              {...describe('severity')}
            />
            {m.severities[severity]}
          </label>
        ))}
        {error('severity')}
      </fieldset>
      {/* No maxlength: pasted text is never cut silently; the hint and the check say so. */}
      {field(
        'description',
        'textarea',
        { rows: 5, 'aria-required': true },
        left <= 500 && fill(m.left, { n: Math.max(left, 0) }),
      )}
      {options.photos &&
        (s.picker.value ? (
          <s.picker.value.PhotoPicker
            photos={s.photos.value}
            onChange={(next) => {
              s.photos.value = next
            }}
            locale={locale}
            max={options.photos.max}
            uid={uid}
            open={s.choosing()}
          />
        ) : (
          <button type="button" onClick={s.pickPhotos}>
            {m.addPhoto}
          </button>
        ))}
      {field('orderRef', 'input', { maxLength: LIMITS.orderRef, autocomplete: 'off' })}
      {field(
        'email',
        'input',
        { type: 'email', maxLength: LIMITS.email, autocomplete: 'email' },
        m.replyHint,
      )}
      {field('name', 'input', { maxLength: LIMITS.name, autocomplete: 'name' })}
      {/* For bots only: people neither see it nor reach it. */}
      <input
        class="hp"
        name="website"
        tabIndex={-1}
        autocomplete="off"
        aria-hidden="true"
        value={draft.website}
        onInput={(event) => s.set('website', event.currentTarget.value)}
      />
      {error('form')}
      <button type="submit" class="p">
        {m.send}
      </button>
    </form>
  )
}
