/** @module Insights, its own chunk (import `./Insights` lazily), and its pure data shaping. */
export * from './Insights'
export * from './insights-data'
