// What the embed's unit tests load as `redress-app.js` (the embed asks for it
// beside its own script): the real app chunk, from source.
export { start } from '../../app/index'
