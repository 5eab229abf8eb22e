import { PassThrough, type Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CostStatement, CostStatementMonths, LedgerLinePage, LedgerLinesQuery, SiteBalance, SiteBalanceQuery, StatementApprovalInput, StatementExportQuery,
  StatementMonthParams,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { requestLocale } from '../../lib/locale.js';
import type { CostStatementsService } from './cost-statements.service.js';
import { statementCsv, statementFileName, statementPdf, writeStatementXlsx } from './statement-export.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: XLSX, pdf: 'application/pdf' } as const;
const DOC_MEDIA = { csv: 'text/csv', xlsx: XLSX, pdf: 'application/pdf' } as const;

function file(mediaType: string, description: string, binary: boolean) {
  const schema = z.custom<string | Readable | Buffer>().meta(binary ? { type: 'string', format: 'binary' } : { type: 'string' });
  return { description, content: { [mediaType]: { schema } } };
}

/**
 * The monthly statements of cost allocation between sites (issue 15, ADR 0023): engineers,
 * site managers and the territory admin read every total; the lines only of the sites they
 * manage unless engineer or territory admin. Each site's manager approves a month once it
 * has ended; the last approval closes it.
 */
export const costStatementsRoutes: FastifyPluginAsyncZod<{ statements: CostStatementsService }> = async (app, { statements }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/cost-statements', {
    schema: {
      tags: ['cost-statements'],
      summary: 'The months that have ledger lines or a period, newest first: state, total, approvals out of the territory’s sites',
      response: { 200: CostStatementMonths, ...problems(401, 403) },
    },
  }, async (request) => statements.months(actor(request)));

  app.get('/cost-statements/balance', {
    schema: {
      tags: ['cost-statements'],
      summary: 'One site’s net with the other sites, per month of [from, to] (YYYY-MM, 60 months at most) and per counterpart over the whole range',
      querystring: SiteBalanceQuery, response: { 200: SiteBalance, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => statements.balance(actor(request), request.query));

  app.get('/cost-statements/:month', {
    schema: {
      tags: ['cost-statements'],
      summary: 'A month’s statement: every site’s gave, received and net (by kind), every pair of sites with lines, the approvals, the sites still to approve, and the sites whose lines the caller may read',
      params: StatementMonthParams, response: { 200: CostStatement, ...problems(400, 401, 403) },
    },
  }, async (request) => statements.statement(actor(request), request.params.month));

  app.get('/cost-statements/:month/lines', {
    schema: {
      tags: ['cost-statements'],
      summary: 'The month’s ledger lines by id (keyset), filtered by site, counterpart and kind; site managers (without an engineer role) see only their sites’ lines: another site is a 403',
      params: StatementMonthParams, querystring: LedgerLinesQuery, response: { 200: LedgerLinePage, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => statements.lines(actor(request), request.params.month, request.query));

  app.post('/cost-statements/:month/approvals', {
    schema: {
      tags: ['cost-statements'],
      summary: 'The site’s manager approves the month’s statement (once the month has ended); the last site’s approval closes the month. 409 period_not_ended, already_approved, period_closed, period_before_ledger (a month before the ledger’s first)',
      params: StatementMonthParams, body: StatementApprovalInput, response: { 201: CostStatement, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.code(201).send(await statements.approve(actor(request), request.params.month, request.body)));

  for (const format of ['csv', 'xlsx', 'pdf'] as const) {
    app.get(`/cost-statements/:month.${format}`, {
      schema: {
        tags: ['cost-statements'],
        summary: `The month's statement as ${format.toUpperCase()}: totals per site and per pair, then the lines the caller may read; amounts in euros, words in the reader's language (?lang or Accept-Language)`,
        params: StatementMonthParams, querystring: StatementExportQuery,
        response: { 200: file(DOC_MEDIA[format], 'The statement', format !== 'csv'), ...problems(400, 401, 403) },
      },
    }, async (request, reply) => {
      const locale = requestLocale(request);
      const month = request.params.month;
      const data = await statements.exportData(actor(request), month);
      const headers = fileHeaders(reply, { mediaType: MEDIA[format], fileName: statementFileName(locale, month, format) }).header('cache-control', 'private, no-store');
      if (format === 'csv') return headers.send(statementCsv(data, locale));
      if (format === 'pdf') return headers.send(Buffer.from(await statementPdf(data, locale)));
      const out = new PassThrough();
      writeStatementXlsx(data, locale, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
      return headers.send(out);
    });
  }
};
