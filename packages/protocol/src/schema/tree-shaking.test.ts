// The schema module is free of side effects: a bundle that uses one export
// keeps none of the others. Each case is bundled as an app would bundle it
// (Vite, minified, from source) and its output searched for what only the
// unused schemas say.
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** The minified bundle of `code`, whose imports `schema` and `admin` name this package's entries. */
async function bundle(code: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? '\0entry' : undefined),
        load: (id) => (id === '\0entry' ? code : undefined),
      },
    ],
    resolve: {
      alias: { schema: source('./index.ts'), admin: source('../admin/index.ts') },
    },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      rolldownOptions: { input: 'entry', output: { format: 'es', codeSplitting: false } },
    },
  })
  return (Array.isArray(output) ? output : [output])
    .flatMap((result) => ('output' in result ? result.output : []))
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('\n')
}

/** Messages of the protocol's schemas, each said by one schema only. */
const SCHEMA_WORDS = [
  'complaint must be a JSON object',
  'metadata values must be',
  'email must be',
  'follow-up must be',
  'recovery kind must be',
  'categories must be an array',
]
/** Messages of the helpers the schemas share. */
const HELPER_WORDS = ['must be a string', 'must be an ISO 8601 timestamp']

describe('tree-shaking', () => {
  it('keeps only cleanText when only cleanText is used', async () => {
    const code = await bundle(`import { cleanText } from 'schema'\nconsole.log(cleanText)`)
    expect([...SCHEMA_WORDS, ...HELPER_WORDS].filter((words) => code.includes(words))).toEqual([])
    // The text rules themselves, and no valibot.
    expect(code).toContain('an unpaired surrogate')
    expect(code).not.toContain('~standard')
    expect(code.length).toBeLessThan(1024)
  }, 30_000)

  it('keeps no protocol schema in a bundle of one admin schema', async () => {
    const code = await bundle(
      `import { ComplaintPatchSchema } from 'admin'\nconsole.log(ComplaintPatchSchema)`,
    )
    expect([...SCHEMA_WORDS, ...HELPER_WORDS].filter((words) => code.includes(words))).toEqual([])
    expect(code).toContain('Send at least one of status')
  }, 30_000)

  it('keeps one validator’s schema, not the others', async () => {
    const code = await bundle(
      `import { validateFollowUp } from 'schema'\nconsole.log(validateFollowUp)`,
    )
    expect(code).toContain('follow-up must be a JSON object')
    expect(SCHEMA_WORDS.filter((words) => code.includes(words))).toEqual(['follow-up must be'])
  }, 30_000)
})
