/** A centred card (placed by the browser's own modal styles); a full-screen sheet on phones; a short rise unless motion is reduced. */
export const dialog = `.d{width:min(32em,100% - 2em);padding:1.25em;border:1px solid var(--l);border-radius:var(--r);background:var(--b)}
.d::backdrop{background:#0009}
h2{margin:0;margin-inline-end:2em;font-size:1.3em}
.h{color:var(--m)}
.er{color:var(--e);font-weight:600}
.sr,.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
@media(max-width:480px){.d{width:100%;height:100%;max-width:100%;max-height:100%;border:0;border-radius:0}}
@media(prefers-reduced-motion:no-preference){.d[open]{animation:rd .2s}}
@keyframes rd{from{opacity:0;transform:translateY(.5em)}}
`
