export * from './csv.js';
export * from './values.js';
export * from './equipment-import.js';
