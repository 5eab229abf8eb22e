import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  GroupedOrder, GroupedOrderCancel, GroupedOrderClose, GroupedOrderCreate, GroupedOrderListQuery, GroupedOrderProposal, GroupedOrderProposalQuery, GroupedOrderReceipt,
  GroupedOrderReceiptResult, GroupedOrderSummary, IdParams, LanguageQuery, page,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { IfMatchHeaders, optionalVersion, problems } from '../../lib/http.js';
import { requestLocale } from '../../lib/locale.js';
import { exportFileName } from './export.js';
import type { PurchasingService } from './purchasing.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** What the answers carry, and the media types the OpenAPI document names. */
const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: XLSX } as const;
const DOC_MEDIA = { csv: 'text/csv', xlsx: XLSX } as const;

/** A response that is a file, documented by its media type; the handler sends a string or a stream. */
function file(mediaType: string, description: string, binary: boolean) {
  const schema = z.custom<string | Readable>().meta(binary ? { type: 'string', format: 'binary' } : { type: 'string' });
  return { description, content: { [mediaType]: { schema } } };
}

function sendFile(reply: FastifyReply, format: 'csv' | 'xlsx', fileName: string, body: string | Readable) {
  return fileHeaders(reply, { mediaType: MEDIA[format], fileName }).header('cache-control', 'private, no-store').send(body);
}

export const purchasingRoutes: FastifyPluginAsyncZod<{ purchasing: PurchasingService }> = async (app, { purchasing }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/purchasing/grouped-order', {
    schema: {
      tags: ['purchasing'],
      summary: 'The proposed grouped order: every store of the territory below its minimum, the quantity to order (up to its maximum, else its minimum, less what is awaited on open grouped orders and transfers approved or shipped to it), per supplier then part (everyone signed in)',
      querystring: GroupedOrderProposalQuery, response: { 200: GroupedOrderProposal, ...problems(400, 401) },
    },
  }, async (request) => purchasing.proposal(actor(request), request.query));

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/purchasing/grouped-order/export.${format}`, {
      schema: {
        tags: ['purchasing'],
        summary: `The proposed grouped order as ${format === 'csv' ? 'CSV for French Excel' : 'an Excel workbook'}, one row per store allocation; headers in the reader's language (?lang or Accept-Language)`,
        querystring: GroupedOrderProposalQuery.extend(LanguageQuery.shape),
        response: { 200: file(DOC_MEDIA[format], 'The proposal', format === 'xlsx'), ...problems(400, 401) },
      },
    }, async (request, reply) => {
      const locale = requestLocale(request);
      const { lang: _lang, ...query } = request.query;
      return sendFile(reply, format, exportFileName(locale, format), await purchasing.proposalExport(actor(request), query, locale, format));
    });

    app.get(`/purchasing/grouped-orders/:id/export.${format}`, {
      schema: {
        tags: ['purchasing'],
        summary: `A grouped order as ${format === 'csv' ? 'CSV for French Excel' : 'an Excel workbook'}, one row per store allocation with the quantity received; headers in the reader's language`,
        params: IdParams, querystring: LanguageQuery,
        response: { 200: file(DOC_MEDIA[format], 'The order', format === 'xlsx'), ...problems(400, 401, 404) },
      },
    }, async (request, reply) => {
      const locale = requestLocale(request);
      const { number, file: body } = await purchasing.orderExport(actor(request), request.params.id, locale, format);
      return sendFile(reply, format, exportFileName(locale, format, number), body);
    });
  }

  app.post('/purchasing/grouped-orders', {
    schema: {
      tags: ['purchasing'],
      summary: 'Place a grouped order from the (edited) proposal: lines per part with supplier, unit cost and quantities per store (engineers, site managers, territory admin)',
      body: GroupedOrderCreate, response: { 201: GroupedOrder, ...problems(400, 401, 403) },
    },
  }, async (request, reply) => {
    const order = await purchasing.create(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/purchasing/grouped-orders/${order.id}`).send(order);
  });

  app.get('/purchasing/grouped-orders', {
    schema: {
      tags: ['purchasing'],
      summary: 'Grouped orders, newest first, without their lines (GET /purchasing/grouped-orders/{id} has them)',
      querystring: GroupedOrderListQuery, response: { 200: page(GroupedOrderSummary), ...problems(400, 401) },
    },
    // Every user of the territory reads the same orders (no rights check per row).
    config: { pageCache: { scope: 'territory' } },
  }, async (request) => purchasing.list(actor(request), request.query));

  app.get('/purchasing/grouped-orders/:id', {
    schema: { tags: ['purchasing'], summary: 'One grouped order with its lines and allocations', params: IdParams, response: { 200: GroupedOrder, ...problems(400, 401, 404) } },
  }, async (request) => purchasing.get(actor(request), request.params.id));

  app.post('/purchasing/grouped-orders/:id/receipt', {
    schema: {
      tags: ['purchasing'],
      summary: "Receive parts of a grouped order: each line's quantity is split into its stores (furthest below minimum first, never more than a store awaits) as receipt movements, in one transaction; 409 over_receipt; If-Match (optional): the order's version",
      params: IdParams, headers: IfMatchHeaders, body: GroupedOrderReceipt, response: { 200: GroupedOrderReceiptResult, ...problems(400, 401, 403, 404, 409, 412) },
    },
  }, async (request) => purchasing.receive(actor(request), request.params.id, optionalVersion(request), request.body));

  app.post('/purchasing/grouped-orders/:id/cancel', {
    schema: {
      tags: ['purchasing'],
      summary: "Cancel a grouped order before anything was received, with a reason; If-Match (optional): the order's version",
      params: IdParams, headers: IfMatchHeaders, body: GroupedOrderCancel, response: { 200: GroupedOrder, ...problems(400, 401, 403, 404, 409, 412) },
    },
  }, async (request) => purchasing.cancel(actor(request), request.params.id, optionalVersion(request), request.body));

  app.post('/purchasing/grouped-orders/:id/close', {
    schema: {
      tags: ['purchasing'],
      summary: "Close a partially received grouped order whose rest will not come, with a reason: what was received stays, the remainder is no longer awaited; If-Match (optional): the order's version",
      params: IdParams, headers: IfMatchHeaders, body: GroupedOrderClose, response: { 200: GroupedOrder, ...problems(400, 401, 403, 404, 409, 412) },
    },
  }, async (request) => purchasing.close(actor(request), request.params.id, optionalVersion(request), request.body));
};
