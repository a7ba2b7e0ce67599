/** Thumbnails in a wrapping row, each with a remove button big enough for a thumb. */
export const picker = `.pp{display:flex;flex-wrap:wrap;gap:.5em;margin:.5em 0;padding:0;list-style:none}
.pp li{position:relative;width:4.5em;height:4.5em}
.pp img{width:100%;height:100%;object-fit:cover;border:1px solid var(--l);border-radius:calc(var(--r)/2)}
.pp button{position:absolute;top:-.6em;right:-.6em;min-width:44px;min-height:44px;margin:0;padding:0;border-radius:50%;background:var(--b);font-size:1.1em;line-height:1}
.pb{display:flex;flex-wrap:wrap;gap:.5em}
.pb button{margin-top:.5em}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`
