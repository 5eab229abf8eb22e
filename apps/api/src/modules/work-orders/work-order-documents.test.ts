import { describe, expect, it } from 'vitest';
import type { Register } from '@gmao/contracts';
import { registerCsv } from './work-order-documents.js';

const register = (entries: Partial<Register['entries'][number]>[]): Register => ({
  equipment: { id: '00000000-0000-4000-8000-000000000001', inventoryNumber: 'CHU-0001', site: 'CHU', model: 'B. Braun Perfusor Space', serialNumber: 'SN1' },
  entries: entries.map((e, i) => ({
    workOrderId: `00000000-0000-4000-8000-00000000010${i}`, number: `BT-2026-00000${i}`, date: '2026-03-01T13:05:00Z', nature: 'electrical_safety',
    description: 'RAS', performedBy: [{ name: 'Camille Martin', employer: 'CHU', kind: 'own_site' }], stoppedAt: null, restartedAt: null,
    performance: [], conformity: 'conforme', ...e,
  })),
});

describe('the register as CSV', () => {
  it('writes French Excel CSV: BOM, ; separators (quoted inside a cell), CRLF, Paris time, the register’s labels', () => {
    const csv = registerCsv(register([{ performance: ['Résistance : 0,12 Ω (≤ 0,3) conforme', 'Essai fonctionnel : conforme'], conformity: 'non_evalue' }]));
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [header, line, end] = csv.slice(1).split('\r\n');
    expect(header).toBe('N° du bon;Date;Nature;Description;Intervenants (employeur);Arrêt;Remise en service;Performances obtenues;Conformité');
    expect(line).toBe('BT-2026-000000;01/03/2026 14:05;Contrôle de sécurité électrique;RAS;Camille Martin (CHU);;;"Résistance : 0,12 Ω (≤ 0,3) conforme ; Essai fonctionnel : conforme";Non évaluée');
    expect(end).toBe('');
  });

  it('never lets a spreadsheet run a cell as a formula, as the inventory export', () => {
    const csv = registerCsv(register([
      { description: '=HYPERLINK("http://x";"clic")', performedBy: [{ name: '@SUM(A1)', employer: '+33', kind: 'vendor' }], performance: ['-2+3'] },
      { description: '\t=1' },
    ]));
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toContain(`;"'=HYPERLINK(""http://x"";""clic"")";'@SUM(A1) (+33);`);
    expect(lines[1]).toContain(";'-2+3;");
    expect(lines[2]).toContain(";'\t=1;");
  });
});
