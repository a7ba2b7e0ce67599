// The usual stub: safe to paste above the tag; calls wait in redress.q.
window.redress =
  window.redress ||
  function () {
    window.redress.q = window.redress.q || []
    // biome-ignore lint/complexity/noArguments: the stub keeps each call's arguments as they were
    window.redress.q.push(arguments)
  }
