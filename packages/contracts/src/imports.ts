import { z } from 'zod';
import { IMPORT_FIELD_KEYS } from '@gmao/domain';
import { Timestamp, Uuid } from './common.js';

export const ImportFieldKey = z.enum(IMPORT_FIELD_KEYS);
/** Field of the register → column header of the file. */
export const ImportMapping = z.partialRecord(ImportFieldKey, z.string().min(1).max(200));
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportOptions = z.object({
  createMissingModels: z.boolean().default(false),
  createMissingCategories: z.boolean().default(false),
  /** Supplier written on rows whose supplier column is empty or not mapped. */
  defaultSupplier: z.string().trim().max(160).nullable().default(null).transform((v) => (v === '' ? null : v)),
});

export const ImportUpload = z
  .object({
    id: Uuid,
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']),
    encoding: z.string().nullable(),
    separator: z.string().nullable(),
    header: z.array(z.string()),
    sampleRows: z.array(z.array(z.string())),
    rowCount: z.number().int(),
    suggestedMapping: ImportMapping,
    savedMappings: z.array(z.object({ id: Uuid, name: z.string(), mapping: ImportMapping })),
    fields: z.array(z.object({ key: ImportFieldKey, label: z.string() })),
  })
  .meta({ id: 'ImportUpload' });
export type ImportUpload = z.infer<typeof ImportUpload>;

export const ImportPlanRequest = z.object({
  mapping: ImportMapping,
  options: ImportOptions.default({ createMissingModels: false, createMissingCategories: false, defaultSupplier: null }),
  /** Save this mapping for the import's site under this name. */
  saveMappingAs: z.string().trim().min(1).max(80).optional(),
});
export type ImportPlanRequest = z.input<typeof ImportPlanRequest>;

export const ImportProblem = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  field: ImportFieldKey.nullable(),
  value: z.string(),
  message: z.string(),
});

export const ImportReport = z
  .object({
    rowCount: z.number().int(),
    validRows: z.number().int(),
    problemCount: z.number().int(),
    /** The first 1,000 problems, by row. */
    problems: z.array(ImportProblem),
    toCreate: z.object({
      categories: z.array(z.object({ label: z.string() })),
      models: z.array(z.object({ manufacturer: z.string(), modelName: z.string(), category: z.string() })),
    }),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReport>;

/** GET /equipment-imports/{id}: what the upload said, plus where the import stands. */
export const ImportState = ImportUpload.extend({
  siteId: Uuid,
  status: z.enum(['uploaded', 'queued', 'running', 'succeeded', 'failed']),
  /** The mapping and options of the commit, once committed. */
  mapping: ImportMapping.nullable(),
  options: z.object({ createMissingModels: z.boolean(), createMissingCategories: z.boolean(), defaultSupplier: z.string().nullable() }).nullable(),
  jobId: z.string().nullable(),
  result: z.object({ devices: z.number().int(), models: z.number().int(), categories: z.number().int() }).nullable(),
  error: z.string().nullable(),
  /** The problems found by the commit job when it refused the file. */
  report: z.object({ rowCount: z.number().int(), problemCount: z.number().int(), problems: z.array(ImportProblem) }).nullable(),
  createdAt: Timestamp,
}).meta({ id: 'ImportState' });
export type ImportState = z.infer<typeof ImportState>;

export const JobAccepted = z.object({ jobId: z.string() });

export const JobStatus = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children', 'unknown']),
    progress: z.number().int().min(0).max(100),
    result: z.unknown().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'JobStatus' });
export type JobStatus = z.infer<typeof JobStatus>;
