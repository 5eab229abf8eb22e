export * from './paris-days.js';
export * from './indicators.js';
export * from './rollup-rules.js';
