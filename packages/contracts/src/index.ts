import { z } from 'zod';

// Validation messages in French, for the API's problem details and the SPA's forms alike.
z.config(z.locales.fr());

export * from './common.js';
export * from './roles.js';
export * from './auth.js';
export * from './sites.js';
export * from './locations.js';
export * from './users.js';
export * from './health.js';
export * from './equipment.js';
export * from './imports.js';
export * from './work-orders.js';
export * from './stock.js';
export * from './stock-alerts.js';
export * from './purchasing.js';
export * from './notifications.js';
export * from './maintenance-plans.js';
export * from './pm-planning.js';
export * from './competency.js';
export * from './kpis.js';
export * from './cost-allocation.js';
