/** Remedy and reply cards; the code is monospace and one tap selects all of it; a reply keeps its line breaks. */
export const recovery = `.c{margin:1em 0;padding:.75em 1em;border:1px solid var(--l);border-radius:var(--r)}
.t{font-weight:600}
.k{display:block;padding:.5em;border:1px dashed var(--l);font:600 1.2em ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere;user-select:all}
.sc{display:flex;flex-wrap:wrap;gap:0 1.25em}
.w{white-space:pre-line;overflow-wrap:anywhere}
`
