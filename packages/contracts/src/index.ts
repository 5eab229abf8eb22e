export * from './common.js';
export * from './roles.js';
export * from './auth.js';
export * from './sites.js';
export * from './locations.js';
export * from './users.js';
export * from './health.js';
