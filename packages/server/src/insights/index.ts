/** @module Insights: what a site's complaints say over a period (root causes, fairness, spikes, repeat customers). */
export { computeInsights, INSIGHT_DAYS, parseDays } from './insights'
