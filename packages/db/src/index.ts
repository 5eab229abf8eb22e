export * from './database.js';
export * from './migrator.js';
export * from './passwords.js';
export * from './admin.js';
export * from './seed/seed-demo.js';
export * from './seed/demo-territory.js';
export * from './repositories/audit.repository.js';
export * from './repositories/refresh-tokens.repository.js';
export type * from './generated/db.js';
