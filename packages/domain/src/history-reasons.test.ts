import { describe, expect, it } from 'vitest';
import { codedReasonText, historyReason, parseCodedReason } from './history-reasons.js';

describe('history reasons written by the product', () => {
  it('reads in French and in English', () => {
    expect(codedReasonText({ code: 'work_order_reported', number: 'BT-2026-000001', symptom: 'Écran noir' }, 'fr')).toBe('Bon BT-2026-000001 : Écran noir');
    expect(codedReasonText({ code: 'work_order_reported', number: 'BT-2026-000001', symptom: 'Écran noir' }, 'en')).toBe('Work order BT-2026-000001: Écran noir');
    expect(codedReasonText({ code: 'back_in_service', number: 'BT-1' }, 'en')).toBe('Back in service after work order BT-1');
    expect(codedReasonText({ code: 'decommission', reason: 'scrap', comment: 'Carte HS' }, 'fr')).toBe('mise au rebut — Carte HS');
    expect(codedReasonText({ code: 'decommission', reason: 'scrap' }, 'en')).toBe('Scrapped');
    expect(codedReasonText({ code: 'automatic_closure', days: 30 }, 'fr')).toBe('Clôture automatique : terminé depuis plus de 30 jours sans vérification');
  });

  it('keeps a typed reason as typed, and ignores a stored code it does not know', () => {
    expect(historyReason({ reason: 'Câble débranché', codedReason: null }, 'en')).toBe('Câble débranché');
    expect(historyReason({ reason: 'Texte', codedReason: { code: 'unknown' } }, 'en')).toBe('Texte');
    expect(parseCodedReason({ code: 'decommission', reason: 'not-a-reason' })).toBeNull();
    expect(historyReason({ reason: 'Import du fichier a.csv', codedReason: { code: 'imported_file', fileName: 'a.csv' } }, 'en')).toBe('Imported from the file a.csv');
  });
});
