/**
 * Notifications (issue 13, ADR 0017): the daily digests' kinds, their stored payload (codes
 * and parameters, never sentences) and the digest email written out in the reader's language.
 */
import { ENUM_LABELS, type LabelLocale } from './labels.js';
import type { WorkOrderType } from './work-orders.js';

export const NOTIFICATION_KINDS = ['digest_technician', 'digest_engineer'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * not_sent: to send; sent: accepted by the SMTP server; failed: the last attempt failed (the
 * next runs try again); disabled: no SMTP server configured when the notification was made.
 */
export const NOTIFICATION_EMAIL_STATES = ['not_sent', 'sent', 'failed', 'disabled'] as const;
export type NotificationEmailState = (typeof NOTIFICATION_EMAIL_STATES)[number];

/** The time zone of a digest's day (the territories are French). */
export const DIGEST_TIME_ZONE = 'Europe/Paris';
/** Work orders due within this many days are "due soon" unless NOTIFICATION_DUE_SOON_DAYS says otherwise. */
export const DEFAULT_DUE_SOON_DAYS = 7;
/** A digest lists at most this many work orders (its counts say how many there are). */
export const DIGEST_MAX_ITEMS = 50;
/** A digest's email is tried at most this many times (once per run). */
export const DIGEST_EMAIL_MAX_ATTEMPTS = 5;

/**
 * Work-order types that carry a legal obligation whatever the device (quality control,
 * electrical safety). A preventive work order is regulatory when its device has the
 * maintenance obligation (`equipment.maintenance_obligation`, see obligations.ts). The SQL
 * selection of packages/db (notifications/digest-selection.ts) applies the same rule.
 */
export const REGULATORY_WORK_ORDER_TYPES: readonly WorkOrderType[] = ['quality_control', 'electrical_safety'];

export function isRegulatoryWorkOrder(w: { type: WorkOrderType; maintenanceObligation: boolean }): boolean {
  return REGULATORY_WORK_ORDER_TYPES.includes(w.type) || (w.type === 'preventive' && w.maintenanceObligation);
}

/** One work order of a digest, as it was when the digest was made. */
export interface DigestItem {
  workOrderId: string;
  number: string;
  type: WorkOrderType;
  symptom: string;
  siteShortCode: string;
  /** The device's inventory number. */
  inventoryNumber: string;
  /** The repair due date (ISO instant). */
  dueAt: string;
  overdue: boolean;
  regulatory: boolean;
}

/** What a notification stores: counts and the work orders (at most DIGEST_MAX_ITEMS). */
export interface DigestPayload {
  overdueCount: number;
  dueSoonCount: number;
  dueSoonDays: number;
  items: DigestItem[];
}

interface DigestTexts {
  subject: (kind: NotificationKind, p: DigestPayload, day: string) => string;
  greeting: (name: string) => string;
  intro: (kind: NotificationKind, p: DigestPayload) => string;
  overdue: string;
  dueSoon: (days: number) => string;
  due: string;
  regulatory: string;
  more: (n: number) => string;
  open: string;
  footer: string;
  /** What ends a heading before a list (French typography puts a space before the colon). */
  colon: string;
  dateLocale: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const DIGEST_TEXTS: Readonly<Record<LabelLocale, DigestTexts>> = {
  fr: {
    subject: (kind, p, day) =>
      kind === 'digest_engineer'
        ? `GMAO — ${plural(p.overdueCount, 'intervention réglementaire en retard', 'interventions réglementaires en retard')} (${day})`
        : `GMAO — vos bons de travail : ${p.overdueCount} en retard, ${p.dueSoonCount} à échéance (${day})`,
    greeting: (name) => `Bonjour ${name},`,
    intro: (kind, p) =>
      kind === 'digest_engineer'
        ? `${plural(p.overdueCount, 'intervention réglementaire (contrôle qualité, sécurité électrique, maintenance obligatoire) a dépassé', 'interventions réglementaires (contrôle qualité, sécurité électrique, maintenance obligatoire) ont dépassé')} son échéance sur vos sites.`
        : `Voici vos bons de travail en retard ou à échéance dans les ${p.dueSoonDays} jours.`,
    overdue: 'En retard',
    dueSoon: (days) => `À échéance sous ${days} jours`,
    due: 'échéance',
    regulatory: 'réglementaire',
    more: (n) => `… et ${plural(n, 'autre bon', 'autres bons')} dans l’application.`,
    open: 'Ouvrir dans la GMAO',
    footer: 'Message envoyé automatiquement par la GMAO de territoire, une fois par jour.',
    colon: ' :',
    dateLocale: 'fr-FR',
  },
  en: {
    subject: (kind, p, day) =>
      kind === 'digest_engineer'
        ? `CMMS — ${plural(p.overdueCount, 'overdue regulatory work order', 'overdue regulatory work orders')} (${day})`
        : `CMMS — your work orders: ${p.overdueCount} overdue, ${p.dueSoonCount} due soon (${day})`,
    greeting: (name) => `Hello ${name},`,
    intro: (kind, p) =>
      kind === 'digest_engineer'
        ? `${plural(p.overdueCount, 'regulatory work order (quality control, electrical safety, mandatory maintenance) is', 'regulatory work orders (quality control, electrical safety, mandatory maintenance) are')} past due at your sites.`
        : `Here are your work orders overdue or due within ${p.dueSoonDays} days.`,
    overdue: 'Overdue',
    dueSoon: (days) => `Due within ${days} days`,
    due: 'due',
    regulatory: 'regulatory',
    more: (n) => `… and ${plural(n, 'more work order', 'more work orders')} in the application.`,
    open: 'Open in the CMMS',
    footer: 'Sent automatically by the territorial CMMS, once a day.',
    colon: ':',
    dateLocale: 'en-GB',
  },
};

/** A day `YYYY-MM-DD` as French and British readers write it (30/11/2026). */
export function formatDigestDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function formatDue(iso: string, locale: LabelLocale): string {
  return new Intl.DateTimeFormat(DIGEST_TEXTS[locale].dateLocale, { timeZone: DIGEST_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** A base URL and a path joined (no base: the path alone is useless in an email, so null). */
function absolute(baseUrl: string | undefined, path: string): string | null {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}${path}` : null;
}

export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The digest email of a notification, in `locale`. `baseUrl` (the SPA's public address) makes
 * links to the notification's page and to each work order; without it the email has none.
 */
export function renderDigestEmail(input: {
  kind: NotificationKind;
  payload: DigestPayload;
  digestDay: string;
  fullName: string;
  link: string;
  locale?: LabelLocale;
  baseUrl?: string;
}): DigestEmail {
  const locale = input.locale ?? 'fr';
  const t = DIGEST_TEXTS[locale];
  const types = ENUM_LABELS[locale].workOrderTypes;
  const p = input.payload;
  const day = formatDigestDay(input.digestDay);
  const subject = t.subject(input.kind, p, day);
  const sections: { title: string; items: DigestItem[] }[] = [
    { title: t.overdue, items: p.items.filter((i) => i.overdue) },
    { title: t.dueSoon(p.dueSoonDays), items: p.items.filter((i) => !i.overdue) },
  ].filter((s) => s.items.length > 0);
  const line = (i: DigestItem) =>
    `${i.number} — ${types[i.type]}${i.regulatory ? ` (${t.regulatory})` : ''} — ${i.siteShortCode} — ${i.inventoryNumber} — ${i.symptom} — ${t.due} ${formatDue(i.dueAt, locale)}`;
  const hidden = p.overdueCount + p.dueSoonCount - p.items.length;
  const link = absolute(input.baseUrl, input.link);

  const text = [
    t.greeting(input.fullName),
    '',
    t.intro(input.kind, p),
    ...sections.flatMap((s) => ['', `${s.title}${t.colon}`, ...s.items.map((i) => {
      const url = absolute(input.baseUrl, `/work-orders/${i.workOrderId}`);
      return `- ${line(i)}${url ? `\n  ${url}` : ''}`;
    })]),
    ...(hidden > 0 ? ['', t.more(hidden)] : []),
    ...(link ? ['', `${t.open}${t.colon} ${link}`] : []),
    '',
    '--',
    t.footer,
  ].join('\n');

  const htmlItem = (i: DigestItem) => {
    const url = absolute(input.baseUrl, `/work-orders/${i.workOrderId}`);
    const label = escapeHtml(line(i));
    return `<li>${url ? `<a href="${escapeHtml(url)}">${label}</a>` : label}</li>`;
  };
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(t.greeting(input.fullName))}</p>`,
    `<p>${escapeHtml(t.intro(input.kind, p))}</p>`,
    ...sections.map((s) => `<h2>${escapeHtml(s.title)}</h2><ul>${s.items.map(htmlItem).join('')}</ul>`),
    ...(hidden > 0 ? [`<p>${escapeHtml(t.more(hidden))}</p>`] : []),
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a></p>`] : []),
    `<p style="color:#666">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
