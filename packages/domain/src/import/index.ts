export * from './csv.js';
export * from './values.js';
export * from './equipment-import.js';
export * from './table-limits.js';
