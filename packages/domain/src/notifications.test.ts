import { describe, expect, it } from 'vitest';
import { isRegulatoryWorkOrder, renderDigestEmail, type DigestPayload } from './notifications.js';

const payload: DigestPayload = {
  overdueCount: 1,
  dueSoonCount: 2,
  dueSoonDays: 7,
  items: [
    { workOrderId: 'a1', number: 'BT-2026-000001', type: 'electrical_safety', symptom: 'Contrôle <annuel>', siteShortCode: 'CHU', inventoryNumber: 'CHU-0001', dueAt: '2026-11-28T09:00:00Z', overdue: true, regulatory: true },
    { workOrderId: 'a2', number: 'BT-2026-000002', type: 'corrective', symptom: 'Alarme', siteShortCode: 'CHU', inventoryNumber: 'CHU-0002', dueAt: '2026-12-03T15:30:00Z', overdue: false, regulatory: false },
  ],
};

describe('regulatory work orders', () => {
  it('are quality control and electrical safety, and preventive work on a device with the maintenance obligation', () => {
    expect(isRegulatoryWorkOrder({ type: 'quality_control', maintenanceObligation: false })).toBe(true);
    expect(isRegulatoryWorkOrder({ type: 'electrical_safety', maintenanceObligation: false })).toBe(true);
    expect(isRegulatoryWorkOrder({ type: 'preventive', maintenanceObligation: true })).toBe(true);
    expect(isRegulatoryWorkOrder({ type: 'preventive', maintenanceObligation: false })).toBe(false);
    expect(isRegulatoryWorkOrder({ type: 'corrective', maintenanceObligation: true })).toBe(false);
  });
});

describe('the digest email', () => {
  it('is written in French by default, with the work orders, their Paris due times and links', () => {
    const mail = renderDigestEmail({ kind: 'digest_technician', payload, digestDay: '2026-11-30', fullName: 'Thomas Technicien', link: '/work-orders/mine', baseUrl: 'https://gmao.example.fr/' });
    expect(mail.subject).toBe('GMAO — vos bons de travail : 1 en retard, 2 à échéance (30/11/2026)');
    expect(mail.text).toContain('Bonjour Thomas Technicien,');
    expect(mail.text).toContain('En retard :');
    expect(mail.text).toContain('BT-2026-000001 — Sécurité électrique (réglementaire) — CHU — CHU-0001 — Contrôle <annuel> — échéance 28/11/2026 10:00');
    expect(mail.text).toContain('https://gmao.example.fr/work-orders/a2');
    // One of the three is not listed: the counts say so.
    expect(mail.text).toContain('… et 1 autre bon dans l’application.');
    expect(mail.text).toContain('Ouvrir dans la GMAO : https://gmao.example.fr/work-orders/mine');
    expect(mail.html).toContain('Contrôle &lt;annuel&gt;');
    expect(mail.html).not.toContain('<annuel>');
  });

  it('has no links without a public address, and an English version', () => {
    const mail = renderDigestEmail({ kind: 'digest_engineer', payload: { ...payload, dueSoonCount: 0, items: payload.items.slice(0, 1) }, digestDay: '2026-11-30', fullName: 'Ann', link: '/work-orders?overdue=true', locale: 'en' });
    expect(mail.subject).toBe('CMMS — 1 overdue regulatory work order (30/11/2026)');
    expect(mail.text).not.toContain('http');
    expect(mail.html).not.toContain('href');
    expect(mail.text).toContain('Overdue:');
  });
});
