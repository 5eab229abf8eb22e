export * from './finess.js';
export * from './policy.js';
export * from './locations.js';
export * from './equipment.js';
export * from './search.js';
export * from './scan-code.js';
export * from './import/index.js';
export * from './work-orders.js';
