import type { Answers, State } from './_state'

type Question = 'score' | 'remedy' | 'process' | 'treatment'

/** "Did we make it right?": a score, solved or not, and one tap for each side of fairness. */
export function FollowUp({ s }: { s: State }) {
  const { uid } = s
  const f = s.m.followUp
  const answers = s.answers.value
  const state = s.answered.value
  if (state === 'done') return <p class="c">{answers.resolved ? f.thanks : f.reopened}</p>

  const choose = (change: Answers) => {
    s.answers.value = { ...s.answers.value, ...change }
  }
  const group = (
    name: string,
    legend: string,
    options: [string, boolean | number][],
    hint?: string,
  ) => (
    <fieldset aria-describedby={hint}>
      <legend>{legend}</legend>
      <div class="sc">
        {options.map(([text, value]) => (
          <label class="o">
            <input
              type="radio"
              name={uid + name}
              checked={answers[name as keyof Answers] === value}
              onChange={() => choose({ [name]: value })}
            />
            {text}
          </label>
        ))}
      </div>
    </fieldset>
  )
  const scale = (name: Question) =>
    group(
      name,
      f[name],
      [1, 2, 3, 4, 5].map((n) => [`${n}`, n]),
      `${uid}scale`,
    )

  return (
    <form
      class="c"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        s.answer()
      }}
    >
      <p id={`${uid}scale`} class="h">
        {f.scale}
      </p>
      {scale('score')}
      {group('resolved', f.resolved, [
        [f.yes, true],
        [f.no, false],
      ])}
      <p class="h">{f.optional}</p>
      {scale('remedy')}
      {scale('process')}
      {scale('treatment')}
      {(state === 'missing' || state === 'error') && (
        <p class="er">{state === 'error' ? f.error : f.missing}</p>
      )}
      <button type="submit" class="p" disabled={state === 'busy'}>
        {s.m.send}
      </button>
    </form>
  )
}
