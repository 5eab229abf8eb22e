import { describe, expect, it } from 'vitest';
import type { ImportUpload } from '@gmao/contracts';
import {
  SUGGESTED,
  draftFromMapping,
  duplicateColumns,
  initialSettings,
  mappingFromDraft,
  planRequest,
  problemColumns,
  sampleValue,
  settingsForMapping,
  settingsForNewFile,
  uploadOfState,
  visibleProblems,
  type ImportProblem,
} from './imports.ts';

const fields: ImportUpload['fields'] = [
  { key: 'inventoryNumber', label: "N° d'inventaire" },
  { key: 'location', label: 'Localisation' },
  { key: 'commissioningDate', label: 'Date de mise en service' },
];

function upload(over: Partial<ImportUpload> = {}): ImportUpload {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    fileName: 'inventaire.csv',
    format: 'csv',
    encoding: 'utf-8',
    separator: ';',
    header: ['N° inventaire', 'Salle', 'Mise en service'],
    sampleRows: [
      ['INV-1', '', '02/01/2020'],
      ['INV-2', 'A101', '31/02/2020'],
    ],
    rowCount: 2,
    suggestedMapping: { inventoryNumber: 'N° inventaire', location: 'Salle' },
    savedMappings: [],
    fields,
    ...over,
  };
}

describe('import wizard helpers', () => {
  it('starts from the suggestion, or from a saved mapping of the site that fits the file', () => {
    expect(initialSettings(upload())).toMatchObject({
      preset: SUGGESTED,
      draft: { inventoryNumber: 'N° inventaire', location: 'Salle', commissioningDate: '' },
    });
    const saved = [
      { id: '00000000-0000-4000-8000-00000000000a', name: 'Autre export', mapping: { inventoryNumber: 'Numéro' } },
      { id: '00000000-0000-4000-8000-00000000000b', name: 'Export GMAO', mapping: { inventoryNumber: 'N° inventaire', commissioningDate: 'Mise en service' } },
    ];
    expect(initialSettings(upload({ savedMappings: saved }))).toMatchObject({
      preset: saved[1]!.id,
      draft: { inventoryNumber: 'N° inventaire', location: '', commissioningDate: 'Mise en service' },
    });
  });

  it('leaves out the columns a mapping names but the file lacks', () => {
    const { draft, missing } = draftFromMapping(fields, { inventoryNumber: 'Numéro', location: 'Salle' }, upload().header);
    expect(draft).toEqual({ inventoryNumber: '', location: 'Salle', commissioningDate: '' });
    expect(missing).toEqual(['Numéro']);
    expect(mappingFromDraft(draft)).toEqual({ location: 'Salle' });
  });

  it('finds columns given to several fields and the sample value of a column', () => {
    expect(duplicateColumns({ inventoryNumber: 'Salle', location: 'Salle', commissioningDate: '' })).toEqual([
      { column: 'Salle', fields: ['inventoryNumber', 'location'] },
    ]);
    expect(sampleValue(upload(), 'Salle')).toBe('A101');
    expect(sampleValue(upload(), 'Absente')).toBeNull();
  });

  it('builds the plan request: categories only with models, the mapping saved with the dry run only', () => {
    const settings = { ...initialSettings(upload()), createMissingCategories: true, saveMapping: true, saveMappingName: 'Export' };
    expect(planRequest(settings, true)).toEqual({
      mapping: { inventoryNumber: 'N° inventaire', location: 'Salle' },
      options: { createMissingModels: false, createMissingCategories: false, defaultSupplier: null },
      saveMappingAs: 'Export',
    });
    expect(planRequest({ ...settings, createMissingModels: true }, false)).toEqual({
      mapping: { inventoryNumber: 'N° inventaire', location: 'Salle' },
      options: { createMissingModels: true, createMissingCategories: true, defaultSupplier: null },
    });
  });

  it('sends the default supplier for rows without one, trimmed, or none when left empty', () => {
    const settings = { ...initialSettings(upload()), defaultSupplier: '  Biomédical Services  ' };
    expect(planRequest(settings, false).options).toMatchObject({ defaultSupplier: 'Biomédical Services' });
    expect(planRequest({ ...settings, defaultSupplier: '   ' }, false).options).toMatchObject({ defaultSupplier: null });
    const state = { createMissingModels: false, createMissingCategories: false, defaultSupplier: 'Biomédical Services' };
    expect(settingsForMapping(upload(), { inventoryNumber: 'N° inventaire' }, state).defaultSupplier).toBe('Biomédical Services');
  });

  it('keeps the choices for a corrected file with the same columns, naming the saved mapping they match', () => {
    const first = upload();
    const settings = { ...initialSettings(first), draft: { inventoryNumber: 'N° inventaire', location: 'Salle', commissioningDate: 'Mise en service' }, saveMapping: true };
    const saved = { id: '00000000-0000-4000-8000-00000000000c', name: 'Mien', mapping: mappingFromDraft(settings.draft) };
    const corrected = upload({ id: '00000000-0000-4000-8000-000000000002', savedMappings: [saved] });
    expect(settingsForNewFile(corrected, { upload: first, settings })).toMatchObject({ preset: saved.id, draft: settings.draft, saveMapping: false });
    // Other columns: a fresh start.
    const other = upload({ header: ['Numéro', 'Salle'], suggestedMapping: { location: 'Salle' } });
    expect(settingsForNewFile(other, { upload: first, settings }).draft).toEqual({ inventoryNumber: '', location: 'Salle', commissioningDate: '' });
  });

  it('filters the problems by column and sorts them by row', () => {
    const problems: ImportProblem[] = [
      { row: 1, column: null, field: 'inventoryNumber', value: '', message: 'aucune colonne' },
      { row: 2, column: 'Mise en service', field: 'commissioningDate', value: 'x', message: 'date invalide' },
      { row: 4, column: 'Salle', field: 'location', value: 'Z', message: 'inconnue' },
      { row: 4, column: 'N° inventaire', field: 'inventoryNumber', value: 'I', message: 'en double' },
    ];
    const header = upload().header;
    expect(problemColumns(problems, header)).toEqual([null, 'N° inventaire', 'Salle', 'Mise en service']);
    expect(visibleProblems(problems, undefined, 'desc').map((p) => p.row)).toEqual([4, 4, 2, 1]);
    expect(visibleProblems(problems, undefined, 'desc').slice(0, 2).map((p) => p.column)).toEqual(['Salle', 'N° inventaire']);
    expect(visibleProblems(problems, 'Salle', 'asc').map((p) => p.message)).toEqual(['inconnue']);
    expect(visibleProblems(problems, null, 'asc').map((p) => p.row)).toEqual([1]);
  });

  it('resumes an import from its state: the upload as sent, the mapping of its commit if any', () => {
    const first = upload();
    const state = {
      ...first,
      siteId: '00000000-0000-4000-8000-0000000000aa',
      status: 'failed' as const,
      mapping: { inventoryNumber: 'N° inventaire', commissioningDate: 'Mise en service' },
      options: { createMissingModels: true, createMissingCategories: false, defaultSupplier: null },
      jobId: 'equipment-import:1',
      result: null,
      error: '1 problème(s)',
      report: { rowCount: 2, problemCount: 1, problems: [] },
      createdAt: '2026-03-01T10:00:00.000Z',
    };
    expect(uploadOfState(state)).toEqual(first);
    expect(settingsForMapping(first, null)).toEqual(initialSettings(first));
    expect(settingsForMapping(first, state.mapping)).toMatchObject({
      preset: SUGGESTED,
      draft: { inventoryNumber: 'N° inventaire', location: '', commissioningDate: 'Mise en service' },
      createMissingModels: false,
    });
    expect(settingsForMapping(first, state.mapping, state.options)).toMatchObject({ createMissingModels: true, createMissingCategories: false });
    const saved = { id: '00000000-0000-4000-8000-00000000000d', name: 'Export', mapping: state.mapping };
    expect(settingsForMapping(upload({ savedMappings: [saved] }), state.mapping).preset).toBe(saved.id);
  });
});
