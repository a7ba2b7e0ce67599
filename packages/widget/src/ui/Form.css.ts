/** Labels above their fields, large touch targets; errors say so in words, not colour alone. */
export const form = `label,legend{display:block;margin:1em 0 .3em;padding:0;font-weight:600}
fieldset{margin:0;padding:0;border:0}
.o{display:flex;gap:.5em;align-items:center;margin:.4em 0;font-weight:400}
input,select,textarea{width:100%;padding:.5em;border:1px solid var(--l);border-radius:calc(var(--r)/2);background:var(--b);color:inherit;font:inherit}
[type=radio]{width:auto;accent-color:var(--a)}
[aria-invalid=true]{border-color:var(--e);outline:1px solid var(--e)}
a{color:var(--a)}
.ha{white-space:pre-line;margin:.4em 0}
`
