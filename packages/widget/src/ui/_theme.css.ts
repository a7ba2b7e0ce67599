// Both themes. Muted text and borders are mixed from foreground and
// background, so they keep their contrast when a host sets its own colours
// (and fall back to the foreground where `color-mix` is unknown).
// _theme.test.ts checks every text pair is at least 4.5:1.
const light =
  '--b:var(--redress-bg,#fff);--f:var(--redress-fg,#1b1b1f);--a:var(--redress-accent,#1d4ed8);--o:var(--redress-on-accent,#fff);--e:#b3261e;--w:#6b4500;--v:#fff4d6;color-scheme:light'
const dark =
  '--b:var(--redress-bg,#1d1e22);--f:var(--redress-fg,#f1f1f3);--a:var(--redress-accent,#8ab4f8);--o:var(--redress-on-accent,#0b1a33);--e:#ffb4ab;--w:#ffd86b;--v:#3a2e00;color-scheme:dark'

/** The theme's custom properties, and what the dialog and the banners share. */
export const theme = `:host{${light};--m:color-mix(in srgb,var(--f) 75%,var(--b));--l:color-mix(in srgb,var(--f) 55%,var(--b));--r:var(--redress-radius,12px)}
@media(prefers-color-scheme:dark){:host(:not([data-theme=light])){${dark}}}
:host([data-theme=dark]){${dark}}
.d,.ns{font:max(15px,1rem)/1.5 var(--redress-font,system-ui,sans-serif);color:var(--f)}
.d,.d *,.n{box-sizing:border-box}
button{min-height:2.75em;margin:1em 0 0;padding:0 1em;border:1px solid var(--a);border-radius:calc(var(--r)/2);background:0;color:var(--a);font:inherit;font-weight:600;cursor:pointer}
.p{background:var(--a);color:var(--o)}
.x{position:absolute;top:.4em;inset-inline-end:.4em;width:2.5em;margin:0;padding:0;border:0;color:inherit}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
`
