import { describe, expect, it } from 'vitest';
import { decodeBytes, detectSeparator, parseCsv } from './csv.js';
import { parseBoolean, parseEuroCents, parseFrenchDate } from './values.js';
import { modelKey, planImport, suggestMapping, type ImportReferences } from './equipment-import.js';

describe('CSV as exported by French spreadsheets', () => {
  it('decodes UTF-8 (with BOM) and falls back to Windows-1252', () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Réanimation;Défibrillateur')]);
    expect(decodeBytes(utf8)).toEqual({ text: 'Réanimation;Défibrillateur', encoding: 'utf-8' });
    const cp1252 = new Uint8Array([0x52, 0xe9, 0x61, 0x3b, 0x80]); // "Réa;€"
    expect(decodeBytes(cp1252)).toEqual({ text: 'Réa;€', encoding: 'windows-1252' });
  });
  it('detects ; , or tab separators from the header', () => {
    expect(detectSeparator('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectSeparator('a,b,c\n1;2;3')).toBe(',');
    expect(detectSeparator('a\tb\tc')).toBe('\t');
    expect(detectSeparator('"x;y",b,c')).toBe(',');
  });
  it('parses quotes, doubled quotes, separators and line breaks inside fields, CRLF and blank lines', () => {
    const rows = parseCsv('a;b;c\r\n"1;2";"dit ""oui""";"ligne\nsuivante"\r\n\r\nx;;z\n', ';');
    expect(rows).toEqual([['a', 'b', 'c'], ['1;2', 'dit "oui"', 'ligne\nsuivante'], ['x', '', 'z']]);
  });
});

describe('French values', () => {
  it('reads dates in the usual forms and refuses impossible ones', () => {
    expect(parseFrenchDate('05/03/2021')).toEqual({ ok: true, value: '2021-03-05' });
    expect(parseFrenchDate('5-3-21')).toEqual({ ok: true, value: '2021-03-05' });
    expect(parseFrenchDate('2021-03-05')).toEqual({ ok: true, value: '2021-03-05' });
    expect(parseFrenchDate('44260')).toEqual({ ok: true, value: '2021-03-05' });
    expect(parseFrenchDate('31/02/2021').ok).toBe(false);
    expect(parseFrenchDate('03/15/2021').ok).toBe(false);
    expect(parseFrenchDate('hier').ok).toBe(false);
  });
  it('reads euro amounts with decimal commas and thousands separators', () => {
    expect(parseEuroCents('1 234,56 €')).toEqual({ ok: true, value: 123456 });
    expect(parseEuroCents('1.234,5')).toEqual({ ok: true, value: 123450 });
    expect(parseEuroCents('1234.56')).toEqual({ ok: true, value: 123456 });
    expect(parseEuroCents('12\u202f000')).toEqual({ ok: true, value: 1200000 });
    expect(parseEuroCents('-5').ok).toBe(false);
    expect(parseEuroCents('12,345').ok).toBe(false);
  });
  it('reads oui/non', () => {
    expect(parseBoolean('Oui')).toEqual({ ok: true, value: true });
    expect(parseBoolean('x')).toEqual({ ok: true, value: true });
    expect(parseBoolean('non')).toEqual({ ok: true, value: false });
    expect(parseBoolean('peut-être').ok).toBe(false);
  });
});

describe('import planning', () => {
  const header = ['N° inventaire', 'Site', 'Salle', 'Type', 'Marque', 'Modèle', 'N° série', 'Fournisseur', 'Mise en service', "Prix d'achat", 'Statut'];
  const refs: ImportReferences = {
    sites: new Map([['chu', 'site-chu'], ['chu demo', 'site-chu']]),
    locations: new Map([['site-chu', new Map<string, string | null>([['a101', 'loc-a101'], ['chambre', null]])]]),
    categories: new Map([['perf pse', 'cat-pse'], ['pousse seringue electrique', 'cat-pse']]),
    models: new Map([[modelKey('B. Braun', 'Perfusor Space'), 'model-perfusor']]),
    existingInventoryNumbers: new Set(['chu-old-1']),
  };
  const options = { defaultSiteId: null, createMissingModels: false, createMissingCategories: false };
  const row = (over: Partial<Record<string, string>> = {}) => {
    const base: Record<string, string> = {
      'N° inventaire': 'CHU-1', Site: 'CHU', Salle: 'A101', Type: 'Pousse-seringue électrique', Marque: 'B. Braun', 'Modèle': 'Perfusor Space',
      'N° série': 'SN1', Fournisseur: 'B. Braun Medical', 'Mise en service': '02/01/2020', "Prix d'achat": '2 800,00', Statut: 'En service',
    };
    const merged = { ...base, ...over };
    return header.map((h) => merged[h] ?? '');
  };

  it('suggests the category for a « Désignation » column, and the inventory export’s own headers', () => {
    expect(suggestMapping(['N° inventaire', 'Désignation', 'Marque', 'Modèle', 'N° série'])).toEqual({
      inventoryNumber: 'N° inventaire', category: 'Désignation', manufacturer: 'Marque', modelName: 'Modèle', serialNumber: 'N° série',
    });
    expect(suggestMapping(['DESIGNATION', 'Type'])).toEqual({ category: 'DESIGNATION' });
    expect(suggestMapping(["N° d'inventaire", 'Site', 'Localisation', 'Catégorie', 'Fabricant', 'Modèle', 'Classe de risque', 'N° de série', 'UDI-DI',
      'Fournisseur', "Date d'acquisition", "Coût d'acquisition (€)", 'Date de mise en service', 'Fin de garantie', 'Propriété', 'Statut',
      'Mode de maintenance', 'Criticité', 'Score EM'])).toEqual({
      inventoryNumber: "N° d'inventaire", site: 'Site', location: 'Localisation', category: 'Catégorie', manufacturer: 'Fabricant',
      modelName: 'Modèle', serialNumber: 'N° de série', udi: 'UDI-DI', supplier: 'Fournisseur', acquisitionDate: "Date d'acquisition",
      acquisitionCost: "Coût d'acquisition (€)", commissioningDate: 'Date de mise en service', warrantyEnd: 'Fin de garantie',
      ownership: 'Propriété', status: 'Statut', maintenanceMode: 'Mode de maintenance', criticality: 'Criticité',
    });
  });

  it('writes the default supplier on rows without one, and reads the register’s own labels', () => {
    const rows = [
      row({ Fournisseur: '' }),
      row({ 'N° inventaire': 'CHU-2' }),
      row({ 'N° inventaire': 'CHU-3', Statut: 'En prêt' }),
    ];
    const without = planImport(header, rows, suggestMapping(header), refs, options);
    expect(without.problems.map((p) => `${p.row} ${p.column}`)).toEqual(['2 Fournisseur']);
    const plan = planImport(header, rows, suggestMapping(header), refs, { ...options, defaultSupplier: ' Biomédical Services ' });
    expect(plan.problems).toEqual([]);
    expect(plan.rows.map((r) => r.supplier)).toEqual(['Biomédical Services', 'B. Braun Medical', 'B. Braun Medical']);
    const { supplier: _s, ...unmapped } = suggestMapping(header);
    expect(planImport(header, [row()], unmapped, refs, { ...options, defaultSupplier: 'Biomédical Services' }).rows[0]!.supplier).toBe('Biomédical Services');

    const exported = ['N° inventaire', 'Propriété', 'Criticité', 'Mode de maintenance', 'Statut'];
    const labelled = planImport(exported, [
      ['E-1', 'Propriété de l’établissement', 'Élevée', 'Contrat externe', 'En stock'],
      ['E-2', 'Prêt d’un fournisseur', 'Moyenne', 'Mixte', 'En stock'],
    ], suggestMapping(exported), refs, { ...options, defaultSiteId: 'site-chu' });
    expect(labelled.problems).toEqual([]);
    expect(labelled.rows.map((r) => [r.ownership, r.criticality, r.maintenanceMode, r.status])).toEqual([
      ['owned', 'high', 'external_contract', 'in_stock'], ['lent_by_vendor', 'medium', 'mixed', 'in_stock'],
    ]);
  });

  it('quotes long cells cut short in its problems', () => {
    const long = 'Z'.repeat(5000);
    const plan = planImport(header, [row({ Site: long, 'Mise en service': `1${long}` })], suggestMapping(header), refs, options);
    expect(plan.problems.map((p) => p.column)).toEqual(['Site', 'Mise en service']);
    for (const p of plan.problems) {
      expect(p.value).toHaveLength(200);
      expect(p.message.length).toBeLessThan(300);
    }
    expect(plan.problems[0]!.message).toMatch(/^site inconnu « Z{199}… » \(code court, nom ou FINESS attendu\)$/);
  });

  it('suggests the mapping from usual French headers', () => {
    expect(suggestMapping(header)).toMatchObject({
      inventoryNumber: 'N° inventaire', site: 'Site', location: 'Salle', category: 'Type', manufacturer: 'Marque', modelName: 'Modèle',
      serialNumber: 'N° série', supplier: 'Fournisseur', commissioningDate: 'Mise en service', acquisitionCost: "Prix d'achat", status: 'Statut',
    });
  });

  it('resolves a good row', () => {
    const plan = planImport(header, [row()], suggestMapping(header), refs, options);
    expect(plan.problems).toEqual([]);
    expect(plan.rows[0]).toMatchObject({
      row: 2, inventoryNumber: 'CHU-1', siteId: 'site-chu', locationId: 'loc-a101', modelId: 'model-perfusor',
      commissioningDate: '2020-01-02', acquisitionCostCents: 280000, status: 'in_service',
    });
  });

  it('reports every problem by row and column', () => {
    const rows = [
      row(),
      row({ 'N° inventaire': 'chu-1' }),
      row({ 'N° inventaire': 'CHU-OLD-1', Site: 'Inconnu' }),
      row({ 'N° inventaire': 'CHU-4', Salle: 'Chambre', 'Mise en service': '31/02/2020', "Prix d'achat": 'cher' }),
      row({ 'N° inventaire': 'CHU-5', 'Modèle': 'Perfusor Compact' }),
      row({ 'N° inventaire': 'CHU-6', 'N° série': '', Fournisseur: '' }),
    ];
    const plan = planImport(header, rows, suggestMapping(header), refs, options);
    const at = (r: number) => plan.problems.filter((p) => p.row === r).map((p) => `${p.column}: ${p.message}`);
    expect(at(3)).toEqual(["N° inventaire: n° d'inventaire en double dans le fichier (déjà ligne 2)"]);
    expect(at(4)).toEqual([
      "N° inventaire: n° d'inventaire déjà enregistré dans le territoire",
      'Site: site inconnu « Inconnu » (code court, nom ou FINESS attendu)',
    ]);
    expect(at(5)).toEqual([
      'Salle: localisation ambiguë « Chambre » : indiquez le chemin (ex. A › A1 › A101)',
      "Prix d'achat: montant illisible « cher » (ex. 1 234,56)",
      'Mise en service: date invalide « 31/02/2020 » (jj/mm/aaaa attendu)',
    ]);
    expect(at(6)).toEqual(['Modèle: modèle inconnu « B. Braun Perfusor Compact » (il peut être créé)']);
    expect(at(7).map((p) => p.split(':')[0])).toEqual(['Fournisseur', 'N° série']);
    expect(plan.rows.map((r) => r.row)).toEqual([2]);
  });

  it('offers to create unknown models and categories when asked', () => {
    const rows = [row({ 'Modèle': 'Perfusor Compact' }), row({ 'N° inventaire': 'CHU-2', Type: 'Capsule endoscopique', Marque: 'Medtronic', 'Modèle': 'PillCam' })];
    const plan = planImport(header, rows, suggestMapping(header), refs, { ...options, createMissingModels: true, createMissingCategories: true });
    expect(plan.problems).toEqual([]);
    expect(plan.toCreate.categories).toEqual([{ key: 'capsule endoscopique', label: 'Capsule endoscopique' }]);
    expect(plan.toCreate.models.map((m) => `${m.manufacturer} ${m.modelName} → ${m.categoryId ?? m.categoryKey}`)).toEqual([
      'B. Braun Perfusor Compact → cat-pse', 'Medtronic PillCam → capsule endoscopique',
    ]);
    expect(plan.rows.every((r) => r.newModelKey !== null && r.modelId === null)).toBe(true);
  });

  it('needs an inventory-number column, and says which mapped columns are missing', () => {
    const plan = planImport(header, [row()], { site: 'Site', serialNumber: 'Numéro' }, refs, options);
    expect(plan.problems.map((p) => p.message)).toEqual([
      'colonne « Numéro » absente du fichier', "aucune colonne n'est associée au n° d'inventaire",
    ]);
  });
});
