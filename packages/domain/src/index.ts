export * from './finess.js';
export * from './policy.js';
export * from './locations.js';
export * from './equipment.js';
export * from './search.js';
export * from './gs1.js';
