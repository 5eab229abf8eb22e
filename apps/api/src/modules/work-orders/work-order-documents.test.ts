import { describe, expect, it } from 'vitest';
import type { Register } from '@gmao/contracts';
import { registerCsv } from './work-order-documents.js';

const register = (entries: Partial<Register['entries'][number]>[]): Register => ({
  equipment: { id: '00000000-0000-4000-8000-000000000001', inventoryNumber: 'CHU-0001', site: 'CHU', model: 'B. Braun Perfusor Space', serialNumber: 'SN1' },
  entries: entries.map((e, i) => ({
    workOrderId: `00000000-0000-4000-8000-00000000010${i}`, number: `BT-2026-00000${i}`, performedOn: '2026-03-01', completedAt: '2026-03-03T13:05:00Z',
    nature: 'electrical_safety', qualityControl: null, description: 'RAS',
    performers: [{ name: 'Camille Martin', employer: { kind: 'establishment', name: 'CHU' } }], stoppedAt: null, restartedAt: null,
    performance: [], conformity: 'conforming', conformityNote: null, conformityOverride: null, evidence: [], ...e,
  })),
});

describe('the register as CSV', () => {
  it('writes French Excel CSV: BOM, ; separators (quoted inside a cell), CRLF, Paris time, the register’s labels', () => {
    const csv = registerCsv(register([{ performance: ['Résistance : 0,12 Ω (≤ 0,3) conforme', 'Essai fonctionnel : conforme'], conformity: 'not_evaluated' }]));
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [header, line, end] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      'N° du bon;Date de réalisation;Nature;Description;Intervenants (employeur);Arrêt;Remise en service;Performances obtenues;Conformité;'
      + 'Réserves, non-conformité, dérogation;Organisme accrédité;Pièces justificatives;Bon terminé le',
    );
    expect(line).toBe('BT-2026-000000;01/03/2026;Contrôle de sécurité électrique;RAS;Camille Martin (CHU);;;"Résistance : 0,12 Ω (≤ 0,3) conforme ; Essai fonctionnel : conforme";Non évaluée;;;;03/03/2026 14:05');
    expect(end).toBe('');
  });

  it('writes the employer with its FINESS juridique, the verdict with its note and override, the accredited body and the evidence', () => {
    const csv = registerCsv(register([{
      nature: 'quality_control', qualityControl: { kind: 'external', body: { name: 'Qualimed', accreditationReference: 'COFRAC 1-2345' } },
      performers: [
        { name: 'Camille Martin', employer: { kind: 'establishment', name: 'CHU de Démo', finess: '750000001' } },
        { name: 'Léa Roux', employer: { kind: 'vendor', name: 'Qualimed' } },
        { name: 'Sans Site', employer: null },
      ],
      conformity: 'conforming_with_reservations', conformityNote: 'Étiquette usée', conformityOverride: { by: 'Inès Ingénieure', reason: 'Mesure refaite' },
      evidence: [{ attachmentId: '00000000-0000-4000-8000-000000000009', fileName: 'rapport-cqe.pdf' }],
    }]));
    const line = csv.slice(1).split('\r\n')[1]!;
    expect(line).toContain(';Contrôle qualité — Externe, par un organisme accrédité (CQE);');
    expect(line).toContain(';Camille Martin (CHU de Démo, FINESS 750000001), Léa Roux (Qualimed), Sans Site;');
    expect(line).toContain(';Conforme avec réserves;Étiquette usée — dérogation de Inès Ingénieure : Mesure refaite;Qualimed (accréditation COFRAC 1-2345);rapport-cqe.pdf;');
  });

  it('never lets a spreadsheet run a cell as a formula, as the inventory export', () => {
    const csv = registerCsv(register([
      { description: '=HYPERLINK("http://x";"clic")', performers: [{ name: '@SUM(A1)', employer: { kind: 'vendor', name: '+33' } }], performance: ['-2+3'] },
      { description: '\t=1' },
    ]));
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toContain(`;"'=HYPERLINK(""http://x"";""clic"")";'@SUM(A1) (+33);`);
    expect(lines[1]).toContain(";'-2+3;");
    expect(lines[2]).toContain(";'\t=1;");
  });
});
