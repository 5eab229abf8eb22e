import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CataloguePartCreate, CataloguePartUpdate, IdParams, page, Part, PartListQuery, StockAvailability, StockAvailabilityQuery, StockLevel,
  StockKeyParams, StockListQuery, StockMovement, StockMovementCreate, StockMovementListQuery, StockMovementResult, StockSettingsUpdate, Store,
  StoreListQuery, StockTransfer, StockTransferApprove, StockTransferCancel, StockTransferCreate, StockTransferListQuery, StockTransferReceive,
  StockTransferReject, StockTransferShip, StoreCreate, StoreUpdate, StockValue, StockValueQuery, StockTransferBalance,
  StockTransferBalanceQuery, HarvestCreate, HarvestResult, StockAlert, StockAlertListQuery,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { PartsService } from './parts.service.js';
import type { StockService } from './stock.service.js';
import type { StoresService } from './stores.service.js';
import type { StockReportService } from './stock-report.service.js';
import type { HarvestService } from './harvest.service.js';
import type { StockAlertsService } from './stock-alerts.service.js';
import type { TransfersService } from './transfers.service.js';
import { optionalVersion } from '../../lib/http.js';

export interface StockRouteServices {
  parts: PartsService;
  stock: StockService;
  stores: StoresService;
  reports: StockReportService;
  harvest: HarvestService;
  transfers: TransfersService;
  stockAlerts: StockAlertsService;
}

export const stockRoutes: FastifyPluginAsyncZod<StockRouteServices> = async (app, { parts, stock, stores, reports, harvest, transfers, stockAlerts }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/parts', {
    schema: {
      tags: ['stock'], summary: 'The territory part catalogue (sorted by internal reference; q: accent-insensitive search; equipmentModelId: compatible parts)',
      querystring: PartListQuery, response: { 200: page(Part), ...problems(400, 401) },
    },
  }, async (request) => parts.list(actor(request), request.query));

  app.post('/parts', {
    schema: {
      tags: ['stock'], summary: 'Add a part to the catalogue (engineers and site managers)',
      body: CataloguePartCreate, response: { 201: Part, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const part = await parts.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/parts/${part.id}`).send(part);
  });

  app.get('/parts/:id', {
    schema: { tags: ['stock'], summary: 'One part of the catalogue', params: IdParams, response: { 200: Part, ...problems(400, 401, 404) } },
  }, async (request) => parts.get(actor(request), request.params.id));

  app.patch('/parts/:id', {
    schema: {
      tags: ['stock'], summary: 'Change a part of the catalogue (engineers and site managers); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: CataloguePartUpdate,
      response: { 200: Part, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => parts.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/stores', {
    schema: {
      tags: ['stock'], summary: "The territory's stores (by site name and code), or one site's",
      querystring: StoreListQuery, response: { 200: z.object({ items: z.array(Store) }), ...problems(400, 401) },
    },
  }, async (request) => stock.stores(actor(request), request.query));

  app.post('/stores', {
    schema: {
      tags: ['stock'], summary: 'Open a store at a site (site managers and engineers of the site); 409 when its code is taken on the site',
      body: StoreCreate, response: { 201: Store, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const store = await stores.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/stores/${store.id}`).send(store);
  });

  app.patch('/stores/:id', {
    schema: {
      tags: ['stock'],
      summary: 'Rename or close a store (site managers and engineers of its site); closing needs it empty with no transfer under way (409 store_not_empty); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: StoreUpdate, response: { 200: Store, ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request) => stores.update(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/stock/value', {
    schema: {
      tags: ['stock'],
      summary: 'Value of the shelves (on hand × weighted average unit cost, in cents) per store, per site and for the territory, with the value in transit between sites',
      querystring: StockValueQuery, response: { 200: StockValue, ...problems(400, 401) },
    },
  }, async (request) => reports.value(actor(request), request.query));

  app.post('/equipment/:id/harvest', {
    schema: {
      tags: ['stock'],
      summary: "Parts harvested from a device decommissioned for parts harvesting, into a store of the device's site (site managers and engineers); 409 not_harvestable, harvest_other_site",
      params: IdParams, body: HarvestCreate, response: { 201: HarvestResult, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await harvest.harvest(actor(request), request.params.id, request.body)));

  app.get('/stock', {
    schema: {
      tags: ['stock'], summary: 'Stock levels per store and part (everyone signed in reads every site; sorted by store, part)',
      querystring: StockListQuery, response: { 200: page(StockLevel), ...problems(400, 401) },
    },
    // Every user of the territory reads the same stock (no rights check per row).
    config: { pageCache: { scope: 'territory' } },
  }, async (request) => stock.list(actor(request), request.query));

  app.get('/stock/alerts', {
    schema: {
      tags: ['stock'],
      summary: 'Below-minimum stock alerts (raised and cleared by the worker after movements and daily), newest first; state=open (default), cleared or all; everyone signed in reads every site',
      querystring: StockAlertListQuery, response: { 200: page(StockAlert), ...problems(400, 401) },
    },
    // Every user of the territory reads the same alerts (no rights check per row).
    config: { pageCache: { scope: 'territory' } },
  }, async (request) => stockAlerts.list(actor(request), request.query));

  app.patch('/stock/:storeId/:partId', {
    schema: {
      tags: ['stock'],
      summary: "Set a part's minimum (reorder point), maximum and bin in a store (site managers and engineers of the store's site); quantities change only through movements",
      params: StockKeyParams, body: StockSettingsUpdate, response: { 200: StockLevel, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => stock.settings(actor(request), request.params.storeId, request.params.partId, request.body));

  app.post('/stock/movements', {
    schema: {
      tags: ['stock'],
      summary: 'Record a receipt or adjustment (site managers, engineers) or an issue or return (technicians too) at a store of your site; 409 insufficient_stock when stock would go below zero',
      body: StockMovementCreate, response: { 201: StockMovementResult, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await stock.move(actor(request), request.body)));

  app.get('/stock/movements', {
    schema: {
      tags: ['stock'], summary: 'The stock ledger, newest first (the deltas of a store and part add up to its on hand)',
      querystring: StockMovementListQuery, response: { 200: page(StockMovement), ...problems(400, 401) },
    },
  }, async (request) => stock.movements(actor(request), request.query));

  app.get('/stock/availability', {
    schema: {
      tags: ['stock'],
      summary: "Stores holding a part (partId; or the first 50 active parts matching q or compatible with equipmentModelId), with the distance in km from the asker's home site (null when unknown), nearest first",
      querystring: StockAvailabilityQuery, response: { 200: z.object({ items: z.array(StockAvailability) }), ...problems(400, 401, 404) },
    },
  }, async (request) => stock.availability(actor(request), request.query));

  // ---- Transfers between sites (ADR 0013) ----

  app.post('/stock/transfers', {
    schema: {
      tags: ['stock'],
      summary: 'Ask another site for a part: a store of your site (destination) asks a store of the owning site (source)',
      body: StockTransferCreate, response: { 201: StockTransfer, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const transfer = await transfers.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/stock/transfers/${transfer.id}`).send(transfer);
  });

  app.get('/stock/transfers', {
    schema: {
      tags: ['stock'],
      summary: 'Transfers from or to a site (siteId), newest first; state=shipped lists the parts in transit; workOrderId: those requested for a work order',
      querystring: StockTransferListQuery, response: { 200: page(StockTransfer), ...problems(400, 401) },
    },
  }, async (request) => transfers.list(actor(request), request.query));

  app.get('/stock/transfers/balance', {
    schema: {
      tags: ['stock'],
      summary: 'What the sites gave each other through transfers shipped between two days (Europe/Paris, both included), per pair of sites and per site, at the cost the parts left with: the cost allocation between sites',
      querystring: StockTransferBalanceQuery, response: { 200: StockTransferBalance, ...problems(400, 401) },
    },
  }, async (request) => reports.transferBalance(actor(request), request.query));

  app.get('/stock/transfers/:id', {
    schema: { tags: ['stock'], summary: 'One transfer', params: IdParams, response: { 200: StockTransfer, ...problems(400, 401, 404) } },
  }, async (request) => transfers.get(actor(request), request.params.id));

  // approve, ship and receive also take no body at all (Fastify's body is then null): their defaults apply.
  const stepSchema = (summary: string, body: z.ZodType) => ({
    schema: {
      tags: ['stock'], summary: `${summary}; If-Match (optional): the transfer's version`, params: IdParams, headers: IfMatchHeaders, body,
      response: { 200: StockTransfer, ...problems(400, 401, 403, 404, 409, 412) },
    },
  });

  app.post('/stock/transfers/:id/approve', stepSchema('Approve a requested transfer, optionally for fewer parts (managers and engineers of the owning site)', StockTransferApprove.nullable()),
    async (request) => transfers.approve(actor(request), request.params.id, optionalVersion(request), StockTransferApprove.parse(request.body ?? undefined)));
  app.post('/stock/transfers/:id/reject', stepSchema('Refuse a requested transfer, with a reason (managers and engineers of the owning site)', StockTransferReject),
    async (request) => transfers.reject(actor(request), request.params.id, optionalVersion(request), StockTransferReject.parse(request.body)));
  app.post('/stock/transfers/:id/ship', stepSchema('Ship an approved transfer: transfer_out at the source store, the parts are in transit (managers and engineers of the owning site); 409 insufficient_stock', StockTransferShip.nullable()),
    async (request) => transfers.ship(actor(request), request.params.id, optionalVersion(request), StockTransferShip.parse(request.body ?? undefined)));
  app.post('/stock/transfers/:id/receive', stepSchema('Receive a shipped transfer: transfer_in at the destination store at the cost it left with; fewer than shipped needs a lossReason and closes the transfer (the requesting site)', StockTransferReceive.nullable()),
    async (request) => transfers.receive(actor(request), request.params.id, optionalVersion(request), StockTransferReceive.parse(request.body ?? undefined)));
  app.post('/stock/transfers/:id/cancel', stepSchema('Cancel a transfer before it is shipped, with a reason (the requesting site or the owning site)', StockTransferCancel),
    async (request) => transfers.cancel(actor(request), request.params.id, optionalVersion(request), StockTransferCancel.parse(request.body)));
};
