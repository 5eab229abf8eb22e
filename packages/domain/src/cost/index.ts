export * from './cost-rules.js';
