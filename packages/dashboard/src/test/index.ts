/** @module For the views' tests: signing in to a fake admin API (`fetch`), and the data it holds. */
export * from './fake-data'
export * from './helpers'
