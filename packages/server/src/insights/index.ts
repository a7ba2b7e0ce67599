/** @module Insights: what a site's complaints say over a period (root causes, fairness, spikes, repeat customers). */
export { computeInsights } from './insights'
