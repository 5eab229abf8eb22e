export * from './finess.js';
export * from './policy.js';
export * from './locations.js';
