/** Banners stack above the launcher, in whichever bottom corner it sits. */
export const notices = `.ns{position:fixed;right:1em;bottom:5em;z-index:var(--redress-z,2147483000);display:grid;gap:.5em;width:min(24em,100% - 2em)}
:host([data-position=bottom-left]) .ns{right:auto;left:1em}
.n{position:relative;padding-inline:1em 3em;border:1px solid var(--l);border-inline-start:.3em solid var(--a);border-radius:var(--r);background:var(--b)}
.n.w{border-color:var(--w);background:var(--v);color:var(--w)}
`
