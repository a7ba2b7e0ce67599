/** @module `startServer`, for embedders and tests; `cli.ts` beside it is the `redress` bin. */
export { type RunningServer, type ServerOptions, startServer } from './server'
