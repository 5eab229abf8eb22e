import { describe, expect, it } from 'vitest';
import {
  certificateMilestone, isRegulatoryWorkOrder, renderDigestEmail, renderNotificationEmail, type CertificatePayload, type DigestPayload,
} from './notifications.js';

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

describe('certificate milestones', () => {
  it('is the smallest of 90, 30, 7, 0 at or above the days left; nothing beyond 90 days', () => {
    expect([200, 91, 90, 31, 30, 8, 7, 1, 0, -1, -400].map(certificateMilestone)).toEqual([null, null, 90, 90, 30, 30, 7, 7, 0, 0, 0]);
  });
});

describe('the expiring-certificate email', () => {
  const payload: CertificatePayload = {
    certificates: [
      { userId: 'u1', name: 'Camille <Tech>', skillId: 's1', skillCode: 'ELEC-62353', skillName: 'Sécurité électrique', certificateExpiresAt: '2026-11-27', daysLeft: -3, milestone: 0 },
      { userId: 'u1', name: 'Camille <Tech>', skillId: 's2', skillCode: 'MAINT-TDM', skillName: 'Scanner', certificateExpiresAt: '2026-12-01', daysLeft: 1, milestone: 7 },
    ],
  };
  it('tells the holder in French, with the link to their skill sheet', () => {
    const email = renderNotificationEmail({
      kind: 'certificate_expiring', payload, digestDay: '2026-11-30', fullName: 'Camille <Tech>', link: '/competency/people/u1', baseUrl: 'https://gmao.test/',
    });
    expect(email.subject).toBe('GMAO — 2 de vos certificats expirent bientôt (30/11/2026)');
    expect(email.text).toContain('- Sécurité électrique (ELEC-62353) — expiré le 27/11/2026');
    expect(email.text).toContain('- Scanner (MAINT-TDM) — expire le 01/12/2026 (dans 1 jour)');
    expect(email.text).toContain('https://gmao.test/competency/people/u1');
    expect(email.html).toContain('Camille &lt;Tech&gt;');
    expect(email.html).not.toContain('<Tech>');
  });
  it('names the holder for the team', () => {
    const email = renderNotificationEmail({ kind: 'certificates_expiring_team', payload, digestDay: '2026-11-30', fullName: 'Ingé', link: '/competency/coverage' });
    expect(email.subject).toBe('GMAO — 2 certificats de l’équipe expirent bientôt (30/11/2026)');
    expect(email.text).toContain('- Camille <Tech> — Sécurité électrique');
    expect(email.text).not.toContain('http');
  });
});
