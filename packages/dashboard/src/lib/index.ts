/** @module Shared by every view: the API client and types, state, live stream, site, money, errors. */
export * from './api'
export * from './errors'
export * from './live'
export * from './money'
export * from './remedy-flags'
export * from './site'
export * from './state'
export * from './types'
