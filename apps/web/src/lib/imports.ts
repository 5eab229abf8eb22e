import type { ImportMapping, ImportPlanRequest, ImportReport, ImportUpload } from '@gmao/contracts';
import { ImportState as ImportStateSchema } from '@gmao/contracts';
import type { z } from 'zod';

export type ImportFieldKey = ImportUpload['fields'][number]['key'];
export type ImportProblem = ImportReport['problems'][number];
export type ImportState = z.infer<typeof ImportStateSchema>;

/** What a finished import job answers (and GET /equipment-imports/{id} keeps in `result`). */
export const ImportResult = ImportStateSchema.shape.result.unwrap();
export type ImportResult = z.infer<typeof ImportResult>;

/** The API refuses larger files (413); the wizard says so before sending them. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** The selects of the mapping form: one entry per field of the file's list, '' meaning "ignore this field". */
export type MappingDraft = Partial<Record<ImportFieldKey, string>>;

/** Value of the preset select for the API's suggestion (saved mappings use their id). */
export const SUGGESTED = 'suggested';

/** A mapping as the form edits it: every field of the file's list, the ones without a column set to ''. */
export function draftFromMapping(fields: ImportUpload['fields'], mapping: ImportMapping, header: readonly string[]): {
  draft: MappingDraft;
  /** Columns of `mapping` that this file does not have (left out). */
  missing: string[];
} {
  const draft = {} as MappingDraft;
  const missing: string[] = [];
  for (const { key } of fields) {
    const column = mapping[key];
    if (column !== undefined && !header.includes(column)) missing.push(column);
    draft[key] = column !== undefined && header.includes(column) ? column : '';
  }
  return { draft, missing };
}

/** The mapping sent to the API: only the fields given a column. */
export function mappingFromDraft(draft: MappingDraft): ImportMapping {
  const out: ImportMapping = {};
  for (const [key, column] of Object.entries(draft) as [ImportFieldKey, string][]) {
    if (column) out[key] = column;
  }
  return out;
}

/** Starts from the first saved mapping of the site that fits the file entirely, else from the suggestion. */
export function initialPreset(upload: Pick<ImportUpload, 'savedMappings' | 'header'>): string {
  const fits = upload.savedMappings.find((m) => Object.values(m.mapping).every((column) => upload.header.includes(column)));
  return fits?.id ?? SUGGESTED;
}

/** Columns given to more than one field, with those fields. */
export function duplicateColumns(draft: MappingDraft): { column: string; fields: ImportFieldKey[] }[] {
  const byColumn = new Map<string, ImportFieldKey[]>();
  for (const [key, column] of Object.entries(draft) as [ImportFieldKey, string][]) {
    if (column) byColumn.set(column, [...(byColumn.get(column) ?? []), key]);
  }
  return [...byColumn].filter(([, fields]) => fields.length > 1).map(([column, fields]) => ({ column, fields }));
}

/** The first non-empty value of a column in the file's sample rows, to show what it holds. */
export function sampleValue(upload: Pick<ImportUpload, 'header' | 'sampleRows'>, column: string): string | null {
  const index = upload.header.indexOf(column);
  if (index === -1) return null;
  for (const row of upload.sampleRows) {
    const value = (row[index] ?? '').trim();
    if (value) return value;
  }
  return null;
}

/** The columns the problems name, in the file's order; null (problems of the whole file) first. */
export function problemColumns(problems: readonly ImportProblem[], header: readonly string[]): (string | null)[] {
  const columns = new Set(problems.map((p) => p.column));
  const rank = (c: string | null) => (c === null ? -1 : header.indexOf(c) === -1 ? header.length : header.indexOf(c));
  return [...columns].sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b), 'fr'));
}

/**
 * The problems table: `column` filters on one column (undefined for all of them, null for the
 * problems of the whole file); rows sorted as asked, the API's order kept within a row.
 */
export function visibleProblems(
  problems: readonly ImportProblem[],
  column: string | null | undefined,
  order: 'asc' | 'desc',
): ImportProblem[] {
  const kept = column === undefined ? [...problems] : problems.filter((p) => p.column === column);
  const sign = order === 'asc' ? 1 : -1;
  return kept.sort((a, b) => sign * (a.row - b.row));
}

/** What the mapping step edits, kept by the wizard while the user goes back and forth. */
export interface ImportSettings {
  /** SUGGESTED or the id of a saved mapping: what prefilled the draft. */
  preset: string;
  draft: MappingDraft;
  createMissingModels: boolean;
  createMissingCategories: boolean;
  /** Supplier of the rows that have none ('' = none). */
  defaultSupplier: string;
  saveMapping: boolean;
  saveMappingName: string;
}

/** The mapping a preset stands for. */
export function presetMapping(upload: Pick<ImportUpload, 'suggestedMapping' | 'savedMappings'>, preset: string): ImportMapping {
  return upload.savedMappings.find((m) => m.id === preset)?.mapping ?? upload.suggestedMapping;
}

/** The first settings of a freshly uploaded file. */
export function initialSettings(upload: ImportUpload): ImportSettings {
  const preset = initialPreset(upload);
  return {
    preset,
    draft: draftFromMapping(upload.fields, presetMapping(upload, preset), upload.header).draft,
    createMissingModels: false,
    createMissingCategories: false,
    defaultSupplier: '',
    saveMapping: false,
    saveMappingName: '',
  };
}

/** The body of a dry run or a commit (the mapping is saved with the dry run only). */
export function planRequest(settings: ImportSettings, withSave: boolean): ImportPlanRequest {
  return {
    mapping: mappingFromDraft(settings.draft),
    options: {
      createMissingModels: settings.createMissingModels,
      createMissingCategories: settings.createMissingModels && settings.createMissingCategories,
      defaultSupplier: settings.defaultSupplier.trim() || null,
    },
    ...(withSave && settings.saveMapping ? { saveMappingAs: settings.saveMappingName.trim() } : {}),
  };
}

function sameMapping(a: ImportMapping, b: ImportMapping): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<ImportFieldKey>;
  return [...keys].every((k) => a[k] === b[k]);
}

/**
 * The settings for a newly uploaded file. A corrected file (the same columns as the previous
 * one) keeps the choices made for the previous one; the preset then names the saved mapping
 * they match, if any.
 */
export function settingsForNewFile(next: ImportUpload, previous: { upload: ImportUpload; settings: ImportSettings } | null): ImportSettings {
  const sameColumns = previous && previous.upload.header.length === next.header.length && previous.upload.header.every((h, i) => h === next.header[i]);
  if (!previous || !sameColumns) return initialSettings(next);
  const mapping = mappingFromDraft(previous.settings.draft);
  const saved = next.savedMappings.find((m) => sameMapping(m.mapping, mapping));
  const keptPreset = next.savedMappings.some((m) => m.id === previous.settings.preset) ? previous.settings.preset : SUGGESTED;
  return { ...previous.settings, draft: { ...previous.settings.draft }, preset: saved?.id ?? keptPreset, saveMapping: false };
}

/** What GET /equipment-imports/{id} says of the file: the upload's answer, to resume the wizard after a reload. */
export function uploadOfState(state: ImportState): ImportUpload {
  const { siteId: _site, status: _status, mapping: _mapping, options: _options, jobId: _job, result: _result, error: _error, report: _report, createdAt: _created, ...upload } =
    state;
  return upload;
}

/**
 * The settings of a resumed import: the mapping of its commit when it has one (the preset naming
 * the saved mapping it matches, and its options), else the file's first settings.
 */
export function settingsForMapping(
  upload: ImportUpload,
  mapping: ImportMapping | null,
  options: { createMissingModels: boolean; createMissingCategories: boolean; defaultSupplier?: string | null } | null = null,
): ImportSettings {
  const first = initialSettings(upload);
  if (!mapping) return first;
  const saved = upload.savedMappings.find((m) => sameMapping(m.mapping, mapping));
  return {
    ...first,
    ...(options
      ? { createMissingModels: options.createMissingModels, createMissingCategories: options.createMissingCategories, defaultSupplier: options.defaultSupplier ?? '' }
      : {}),
    preset: saved?.id ?? SUGGESTED,
    draft: draftFromMapping(upload.fields, mapping, upload.header).draft,
  };
}
