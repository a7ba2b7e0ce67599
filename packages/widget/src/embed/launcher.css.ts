// The launcher's styles. `:host` resets everything the page could have set on
// the host element: important declarations inside a shadow root win over the
// page's, even `* { all: unset !important }`.
const dark =
  '--redress-accent-d:var(--redress-accent,#93c5fd);--redress-on-accent-d:var(--redress-on-accent,#0b1220)'
export const launcherCss = `
:host{all:initial!important;--redress-accent-d:var(--redress-accent,#1d4ed8);--redress-on-accent-d:var(--redress-on-accent,#fff)}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${dark}}}
:host([data-theme=dark]){${dark}}
.launcher{position:fixed;z-index:var(--redress-z,2147483000);bottom:16px;right:16px;margin:0;padding:12px 18px;border:0;border-radius:var(--redress-radius,999px);font:600 15px/1.2 var(--redress-font,system-ui,-apple-system,"Segoe UI",sans-serif);background:var(--redress-accent-d);color:var(--redress-on-accent-d);box-shadow:0 2px 10px #0004;cursor:pointer}
:host([data-position=bottom-left]) .launcher{right:auto;left:16px}
.launcher:focus-visible{outline:3px solid var(--redress-accent-d);outline-offset:3px}
.launcher:hover{filter:brightness(1.1)}
@media print{.launcher{display:none}}
`
