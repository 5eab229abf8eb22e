import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { withStorableText } from '@gmao/contracts';
import { importLimits } from '@gmao/db';
import type { AppDeps } from './lib/context.js';
import { securityHeaders } from './lib/security-headers.js';
import { PageStore, SnapshotClock, databaseSnapshot, registerPageCache } from './lib/page-cache.js';
import { serializerCompiler } from './lib/serializer.js';
import { registerErrorHandling, sendProblem } from './plugins/errors.js';
import { authPlugin } from './plugins/auth.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { LoginRateLimiter } from './modules/auth/login-rate-limit.js';
import { loadPrincipal, type LoadedPrincipal } from './modules/auth/auth.repository.js';
import { PrincipalCache } from './modules/auth/principal-cache.js';
import { sitesRoutes } from './modules/sites/sites.routes.js';
import { SitesService } from './modules/sites/sites.service.js';
import { locationsRoutes } from './modules/locations/locations.routes.js';
import { LocationsService } from './modules/locations/locations.service.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { stockRoutes } from './modules/stock/stock.routes.js';
import { maintenancePlansRoutes } from './modules/maintenance-plans/maintenance-plans.routes.js';
import { MaintenancePlansService } from './modules/maintenance-plans/maintenance-plans.service.js';
import { pmPlanningRoutes } from './modules/pm-planning/pm-planning.routes.js';
import { kpisRoutes } from './modules/kpis/kpis.routes.js';
import { costConventionsRoutes } from './modules/cost-conventions/cost-conventions.routes.js';
import { CostConventionsService } from './modules/cost-conventions/cost-conventions.service.js';
import { maintenanceContractsRoutes } from './modules/maintenance-contracts/maintenance-contracts.routes.js';
import { MaintenanceContractsService } from './modules/maintenance-contracts/maintenance-contracts.service.js';
import { KpisService } from './modules/kpis/kpis.service.js';
import { steeringReportRoutes } from './modules/kpis/steering-report.routes.js';
import { SteeringReportService } from './modules/kpis/steering-report.service.js';
import { costStatementsRoutes } from './modules/cost-statements/cost-statements.routes.js';
import { CostStatementsService } from './modules/cost-statements/cost-statements.service.js';
import { PmPlanningService } from './modules/pm-planning/pm-planning.service.js';
import { candidatesRoutes } from './modules/competency/candidates.routes.js';
import { CandidatesService } from './modules/competency/candidates.service.js';
import { competencyRoutes } from './modules/competency/competency.routes.js';
import { CompetencyService } from './modules/competency/competency.service.js';
import { PartsService } from './modules/stock/parts.service.js';
import { StockService } from './modules/stock/stock.service.js';
import { TransfersService } from './modules/stock/transfers.service.js';
import { StoresService } from './modules/stock/stores.service.js';
import { StockReportService } from './modules/stock/stock-report.service.js';
import { HarvestService } from './modules/stock/harvest.service.js';
import { StockAlertsNotifier } from './modules/stock/stock-alerts.notifier.js';
import { StockAlertsService } from './modules/stock/stock-alerts.service.js';
import { purchasingRoutes } from './modules/purchasing/purchasing.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { PurchasingService } from './modules/purchasing/purchasing.service.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { equipmentRoutes } from './modules/equipment/equipment.routes.js';
import { EquipmentService } from './modules/equipment/equipment.service.js';
import { DecommissionsService } from './modules/equipment/decommissions.service.js';
import { equipmentImportsRoutes } from './modules/equipment-imports/equipment-imports.routes.js';
import { EquipmentImportsService } from './modules/equipment-imports/equipment-imports.service.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { workOrdersRoutes } from './modules/work-orders/work-orders.routes.js';
import { WorkOrderLifecycleService } from './modules/work-orders/lifecycle.service.js';
import { WorkEntriesService } from './modules/work-orders/work-entries.service.js';
import { ChecklistService } from './modules/work-orders/checklist.service.js';
import { BacklogService } from './modules/work-orders/backlog.service.js';
import { RegisterService } from './modules/work-orders/register.service.js';
import { attachmentsRoutes } from './modules/work-orders/attachments.routes.js';
import { workOrderSettingsRoutes } from './modules/work-order-settings/work-order-settings.routes.js';
import { WorkOrderSettingsService } from './modules/work-order-settings/work-order-settings.service.js';
import { AttachmentsService } from './modules/work-orders/attachments.service.js';
import { equipmentDocumentsRoutes } from './modules/equipment-documents/equipment-documents.routes.js';
import { EquipmentDocumentsService } from './modules/equipment-documents/equipment-documents.service.js';

export interface BuildAppOptions {
  deps: AppDeps;
  jwtSecret: string;
  /** Folder of the built SPA; when absent or missing on disk, `/` says how to build it. */
  webDistDir?: string;
  logger?: FastifyServerOptions['logger'];
}

/** Never log secrets: passwords, tokens, authorization headers. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
];

/**
 * The request log: one line per request, when it is answered, with what an operator needs
 * (no headers, no body: nothing secret, nothing costly to serialise), instead of Fastify's
 * two lines per request.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else request.log.info(line, 'request');
  }
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { deps } = opts;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    trustProxy: deps.config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    logController: new RequestLog(),
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only: anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // Every route's params, query string, headers and body refuse first the text PostgreSQL
  // cannot store (NUL, half a surrogate pair), so that no text field can forget it.
  app.setValidatorCompiler((route) => validatorCompiler({ ...route, schema: withStorableText(route.schema as z.ZodType) }));
  app.setSerializerCompiler(serializerCompiler(deps.config.CHECK_RESPONSE_CONTRACTS));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The scan page compiles its barcode decoder (WebAssembly, bundled) where the
        // browser has no native BarcodeDetector.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
      },
    },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  // Before compression, which rewrites what is sent: the store keeps the JSON text.
  registerPageCache(app, {
    enabled: deps.config.PAGE_CACHE_SECONDS > 0,
    clock: new SnapshotClock(databaseSnapshot(deps.db)),
    store: new PageStore({ maxBytes: deps.config.PAGE_CACHE_MEGABYTES * 1024 * 1024, maxAgeMs: deps.config.PAGE_CACHE_SECONDS * 1000 }),
  });
  // Answers of COMPRESS_MIN_BYTES or more are compressed when the client accepts it (a page of
  // 50 devices is some 40 kB of JSON): brotli at a quality that costs little CPU, else gzip.
  // Request bodies are never inflated (no decompression bombs). Files already compressed
  // (PDF, XLSX, photos, the SPA's .br/.gz) are sent as they are.
  await app.register(compress, {
    globalDecompression: false,
    threshold: deps.config.COMPRESS_MIN_BYTES,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(cors, {
    origin: deps.config.CORS_ORIGINS.length > 0 ? deps.config.CORS_ORIGINS : false,
    exposedHeaders: ['location', 'x-request-id', 'retry-after'],
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'GMAO de territoire API',
        version: '1.0.0',
        description: 'Territorial biomedical CMMS. Errors are RFC 9457 problem details (application/problem+json).',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webDist = opts.webDistDir && fs.existsSync(path.join(opts.webDistDir, 'index.html')) ? opts.webDistDir : undefined;
  registerErrorHandling(app, {
    spaFallback: webDist
      ? (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html')
      : undefined,
  });

  // Each service gets only what it uses: most need the database alone.
  const { db, config } = deps;
  const principals = new PrincipalCache<LoadedPrincipal>({
    ttlSeconds: config.PRINCIPAL_CACHE_SECONDS, prefix: config.QUEUE_PREFIX, publisher: deps.redis,
    subscriber: deps.redis.duplicate({ enableOfflineQueue: true }), log: app.log, load: (userId) => loadPrincipal(db, userId),
  });
  app.addHook('onClose', () => principals.close());
  await app.register(authPlugin, { principals, secret: opts.jwtSecret });
  const auth = new AuthService({ db, config }, app, new LoginRateLimiter({ config, redis: deps.redis }, app.log), opts.jwtSecret);

  await app.register(healthRoutes, { prefix: '/api', deps: { database: deps.database, redis: deps.redis } });
  await app.register(
    async (v1) => {
      // Answers carry people's names, devices and costs: no browser or proxy keeps them, unless a
      // route says otherwise (documents revalidated with no-cache, files already no-store).
      v1.addHook('onSend', async (_request, reply, payload) => {
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store');
        return payload;
      });
      await v1.register(authRoutes, { auth });
      await v1.register(sitesRoutes, { sites: new SitesService({ db, principals }) });
      await v1.register(locationsRoutes, { locations: new LocationsService({ db }) });
      await v1.register(usersRoutes, { users: new UsersService({ db, principals }) });
      await v1.register(catalogRoutes, { catalog: new CatalogService({ db }) });
      // Services that move stock tell the worker afterwards, best effort (ADR 0015).
      const alerts = new StockAlertsNotifier({ queues: deps.queues, log: app.log });
      await v1.register(stockRoutes, {
        parts: new PartsService({ db }), stock: new StockService({ db, alerts }), stores: new StoresService({ db }),
        reports: new StockReportService({ db }), harvest: new HarvestService({ db, alerts }), transfers: new TransfersService({ db, alerts }),
        stockAlerts: new StockAlertsService({ db }),
      });
      await v1.register(purchasingRoutes, { purchasing: new PurchasingService({ db, alerts }) });
      await v1.register(equipmentRoutes, { equipment: new EquipmentService({ db }), decommissions: new DecommissionsService({ db }) });
      await v1.register(equipmentDocumentsRoutes, { documents: new EquipmentDocumentsService({ db }) });
      await v1.register(equipmentImportsRoutes, {
        imports: new EquipmentImportsService({ db, queues: deps.queues, importLimits: importLimits(config) }), maxFileBytes: config.IMPORT_MAX_FILE_BYTES,
      });
      await v1.register(jobsRoutes, { deps: { queues: deps.queues } });
      await v1.register(maintenancePlansRoutes, { plans: new MaintenancePlansService({ db, queues: deps.queues }) });
      await v1.register(pmPlanningRoutes, { planning: new PmPlanningService({ db }) });
      await v1.register(kpisRoutes, { kpis: new KpisService({ db }) });
      await v1.register(costConventionsRoutes, { conventions: new CostConventionsService({ db }) });
      await v1.register(maintenanceContractsRoutes, { contracts: new MaintenanceContractsService({ db }) });
      await v1.register(costStatementsRoutes, { statements: new CostStatementsService({ db }) });
      await v1.register(steeringReportRoutes, {
        report: new SteeringReportService({ db, kpis: new KpisService({ db }), statements: new CostStatementsService({ db }) }),
      });
      await v1.register(competencyRoutes, { competency: new CompetencyService({ db }) });
      await v1.register(candidatesRoutes, { candidates: new CandidatesService({ db }) });
      await v1.register(workOrdersRoutes, {
        lifecycle: new WorkOrderLifecycleService({ db }),
        entries: new WorkEntriesService({ db, alerts }),
        checklist: new ChecklistService({ db }),
        backlog: new BacklogService({ db }),
        register: new RegisterService({ db, attachmentsDir: config.ATTACHMENTS_DIR }),
      });
      await v1.register(notificationsRoutes, { notifications: new NotificationsService({ db }) });
      await v1.register(workOrderSettingsRoutes, { settings: new WorkOrderSettingsService({ db }) });
      await v1.register(attachmentsRoutes, { attachments: new AttachmentsService({ db, attachmentsDir: config.ATTACHMENTS_DIR }), maxBytes: config.ATTACHMENT_MAX_BYTES });
    },
    { prefix: '/api/v1' },
  );

  if (webDist) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      index: ['index.html'],
      // The build writes a .br and a .gz beside each file (apps/web/vite.config.ts): the one
      // the browser accepts is sent as is, with `Vary: Accept-Encoding`; otherwise the file.
      preCompressed: true,
      // Vite's hashed assets never change; index.html must always be revalidated.
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (request, reply) =>
      sendProblem(request, reply, 503, 'web_not_built', "L'application web n'est pas construite : lancez `pnpm build`."),
    );
  }
  return app;
}
