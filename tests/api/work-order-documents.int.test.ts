import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { readPdf, type PdfTextItem, type ReadPdf } from '../support/documents.js';

/**
 * The intervention report and the maintenance register are records: read back from the PDF
 * (PDF.js, through the embedded fonts' ToUnicode maps), every character comes back — long
 * texts wrapped over several pages, long checklist labels in their column, non-Latin names —
 * with the checklist limits, the photos and who closed the work order; in the reader's
 * language.
 */

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let care: Session;
let tech: Session;
let engineer: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const get = (s: Session, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers: { ...s.auth, ...headers } });
const post = (s: Session, url: string, payload: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });

/** A valid RGB PNG of `w`×`h` pixels (a gradient). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw.set([(x * 255) / w, (y * 255) / h, 128], y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function upload(s: Session, woId: string, name: string, data: Buffer, type: string) {
  const boundary = `----doc${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return ctx.app.inject({ method: 'POST', url: `/api/v1/work-orders/${woId}/attachments`, payload, headers: { ...s.auth, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

const squash = (s: string) => s.replace(/\s+/g, '');
/** The strings of one column (by its left edge) in reading order, without spaces. */
const column = (items: PdfTextItem[], from: number, to = Infinity) => squash(items.filter((i) => i.x >= from - 0.5 && i.x < to).map((i) => i.str).join(''));

/** Two strings drawn over one another: their boxes overlap both across and down. */
function overprints(doc: ReadPdf): string[] {
  const clashes: string[] = [];
  for (let p = 1; p <= doc.pages; p++) {
    const items = doc.items.filter((i) => i.page === p && i.str.trim() !== '');
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const [i, j] = [items[a]!, items[b]!];
        const vertical = Math.abs(i.y - j.y) < Math.min(i.size, j.size) * 0.9;
        const horizontal = i.x < j.x + j.width - 0.5 && j.x < i.x + i.width - 0.5;
        if (vertical && horizontal) clashes.push(`page ${p}: «${i.str}» over «${j.str}»`);
      }
    }
  }
  return clashes;
}

const REPORT = Array.from({ length: 200 }, (_, i) => `Étape${i} contrôle du circuit n°${i} conforme,`).join(' ').slice(0, 4988) + ' FIN-RAPPORT';
const LONG_LABEL = `Mesure de la résistance d'isolement entre les parties appliquées et la terre de protection, appareil sous tension nominale, après quinze minutes de fonctionnement continu, selon la procédure interne B-17 version 3`.slice(0, 200);
const SIGNER = 'Łukasz Żółć';
const ARABIC = 'محمد عبد الله';
const CHINESE = '王小明';
const SYMPTOM = `Alarme intermittente signalée par ${ARABIC} (IDE) et le Dr ${CHINESE} ; Ωμέγα Дмитрий témoin.`;

let wo: Json;
let device: Json;

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');

  device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
  wo = (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: SYMPTOM, deviceOutOfService: false })).json();
  wo = (await post(tech, `/api/v1/work-orders/${wo.id}/assignees`, { userId: tech.userId })).json();
  const url = `/api/v1/work-orders/${wo.id}/transitions`;
  wo = (await post(tech, url, { to: 'in_progress' }, wo.version)).json();
  const items = (await post(tech, `/api/v1/work-orders/${wo.id}/checklist`, { item: { label: LONG_LABEL, kind: 'measurement', unit: 'MΩ', min: 2, max: 500, mandatory: true } })).json().items as Json[];
  expect(items.at(-1)!.label).toBe(LONG_LABEL);
  const answered = await ctx.app.inject({ method: 'PUT', url: `/api/v1/work-orders/${wo.id}/checklist/${items.at(-1)!.id}`, payload: { value: 12.5 }, headers: tech.auth });
  expect(answered.json().outcome).toBe('pass');
  expect((await upload(tech, wo.id, 'boîtier-fissuré.png', png(320, 240), 'image/png')).statusCode).toBe(201);
  wo = (await get(tech, `/api/v1/work-orders/${wo.id}`)).json();
  wo = (await ctx.app.inject({
    method: 'PATCH', url: `/api/v1/work-orders/${wo.id}`, payload: { diagnosis: `Carte mère défectueuse (vu avec ${CHINESE})`, actions: REPORT },
    headers: { ...tech.auth, 'if-match': String(wo.version) },
  })).json();
  expect(wo.actions, JSON.stringify(wo).slice(0, 300)).toHaveLength(5000);
  wo = (await post(tech, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 45, travelMinutes: 10 })).json();
  expect((await post(tech, `/api/v1/work-orders/${wo.id}/parts`, { reference: 'CM-01', description: 'Carte mère', quantity: 1 })).statusCode).toBe(200);
  wo = (await get(tech, `/api/v1/work-orders/${wo.id}`)).json();
  expect((await post(tech, `/api/v1/work-orders/${wo.id}/external-interventions`, { vendor: `شركة ${ARABIC}`, vendorReference: 'R-9', costCents: 12000 })).statusCode).toBe(200);
  const signed = await post(tech, `/api/v1/work-orders/${wo.id}/signature`, { name: SIGNER, image: `data:image/png;base64,${png(120, 40).toString('base64')}` });
  expect(signed.statusCode, signed.body).toBe(200);
  wo = signed.json();
  const completed = await post(tech, url, { to: 'completed', conformity: 'conforming' }, wo.version);
  expect(completed.statusCode).toBe(200);
  const closed = await post(engineer, url, { to: 'closed' }, completed.json().version);
  expect(closed.json().state).toBe('closed');
  wo = closed.json();
});
afterAll(async () => {
  await ctx?.close();
});

describe('the intervention report PDF', () => {
  it('keeps every character: a 5,000-character report over several pages, a 200-character checklist label, Polish, Greek, Cyrillic, Arabic and Chinese names', async () => {
    const res = await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(new Uint8Array(res.rawPayload));
    expect(pdf.pages).toBeGreaterThan(1);
    const all = squash(pdf.items.map((i) => i.str).join(''));
    // Fields: the value column starts 150 pt right of the 48 pt margin.
    expect(column(pdf.items, 198)).toContain(squash(REPORT));
    expect(column(pdf.items, 198)).toContain(squash(SYMPTOM));
    // The checklist label wraps inside its own column, the first of the table.
    expect(column(pdf.items, 48, 60)).toContain(squash(LONG_LABEL));
    for (const name of [SIGNER, ARABIC, CHINESE, 'Ωμέγα', 'Дмитрий', `شركة ${ARABIC}`, 'boîtier-fissuré.png']) expect(all).toContain(squash(name));
    // Nothing replaced by « ? » nor stripped of its diacritics.
    expect(all).not.toContain('Lukasz');
    expect(all).not.toContain('?');
    // The PDF stays small: fonts are subset.
    expect(res.rawPayload.length).toBeLessThan(400_000);
  });

  it('never draws a string over another', async () => {
    const pdf = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`)).rawPayload));
    expect(overprints(pdf)).toEqual([]);
  });

  it('prints the checklist limits and result, the photo, the signature, and who completed and closed the work order', async () => {
    const pdf = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`)).rawPayload));
    expect(pdf.text).toContain('≥ 2 et ≤ 500 MΩ');
    expect(pdf.text).toContain('12,5 MΩ — conforme');
    expect(pdf.text).toContain('Photos');
    // The photo and the signature.
    expect(pdf.images.reduce((a, b) => a + b, 0)).toBe(2);
    expect(pdf.text).toContain('Terminé par');
    const closer = await ctx.database.db.selectFrom('users').select('fullName').where('id', '=', engineer.userId).executeTakeFirstOrThrow();
    const closedLine = pdf.text.split('\n').find((l) => l.startsWith('Clôturé par'))!;
    expect(closedLine).toMatch(/^Clôturé par.+, le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(closedLine).toContain(closer.fullName);
    expect(pdf.text).toContain(`Signé par ${SIGNER}`);
    expect(pdf.text).toMatch(/page 1 \/ \d/);
  });

  it('is written in the reader’s language: English with ?lang=en or Accept-Language, French otherwise', async () => {
    const en = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf?lang=en`)).rawPayload));
    for (const heading of [`Intervention report ${wo.number}`, 'Measurements and checks', 'Closed by', 'Signed by', '≥ 2 and ≤ 500 MΩ', '12.5 MΩ — pass', 'Time spent and external interventions']) {
      expect(en.text).toContain(heading);
    }
    expect(en.text).not.toContain('Mesures et contrôles');
    const viaHeader = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`, { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' })).rawPayload));
    expect(viaHeader.text).toContain('Measurements and checks');
    const fr = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`, { 'accept-language': 'fr-FR' })).rawPayload));
    expect(fr.text).toContain(`Bon d'intervention ${wo.number}`);
    expect(fr.text).toContain('Mesures et contrôles');
    expect(fr.text).not.toContain('Measurements and checks');
  });
});

describe('the maintenance register', () => {
  it('PDF: every character back, wrapped, and in the reader’s language', async () => {
    const fr = await readPdf(new Uint8Array((await get(care, `/api/v1/equipment/${device.id}/register?format=pdf`)).rawPayload));
    expect(fr.text).toContain('Registre de maintenance et de contrôle qualité');
    expect(fr.text).toContain('Performances obtenues');
    // The page footers (below 40 pt) left aside: a field goes on over the page break.
    const all = squash(fr.items.filter((i) => i.y > 40).map((i) => i.str).join(''));
    expect(fr.pages).toBeGreaterThan(1);
    expect(all).toContain(squash(REPORT));
    expect(all).toContain(squash(LONG_LABEL));
    expect(all).toContain(squash(`شركة ${ARABIC}`));
    expect(overprints(fr)).toEqual([]);
    const en = await readPdf(new Uint8Array((await get(care, `/api/v1/equipment/${device.id}/register?format=pdf&lang=en`)).rawPayload));
    expect(en.text).toContain('Maintenance and quality control register');
    expect(en.text).toContain('Performance obtained');
    expect(en.text).toContain('Compliant');
    expect(en.text).not.toContain('Performances obtenues');
  });

  it('JSON and CSV: the results in English for an English reader, in French by default', async () => {
    const en = (await get(care, `/api/v1/equipment/${device.id}/register`, { 'accept-language': 'en' })).json();
    const entry = en.entries.find((e: Json) => e.number === wo.number);
    expect(entry.performance).toEqual([`${LONG_LABEL}: 12.5 MΩ (≥ 2 and ≤ 500) pass`]);
    expect(entry.performers.at(-1)).toEqual({ name: `شركة ${ARABIC} (ref. R-9)`, employer: { kind: 'vendor', name: `شركة ${ARABIC}` } });
    const fr = (await get(care, `/api/v1/equipment/${device.id}/register`)).json();
    expect(fr.entries.find((e: Json) => e.number === wo.number).performance).toEqual([`${LONG_LABEL} : 12,5 MΩ (≥ 2 et ≤ 500) conforme`]);
    const csv = await get(care, `/api/v1/equipment/${device.id}/register?format=csv&lang=en`);
    expect(csv.body.startsWith('\ufeffWork order;Date performed;Nature;')).toBe(true);
    expect(csv.body).toContain('Compliant');
  });
});

describe('history reasons', () => {
  it('a device’s history and a work order’s transitions say what the product wrote in the reader’s language; typed reasons stay as typed', async () => {
    const other = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=2`)).json().items.find((d: Json) => d.id !== device.id);
    let down = (await post(care, '/api/v1/work-requests', { equipmentId: other.id, symptom: 'Écran noir au démarrage', deviceOutOfService: true })).json();
    const history = (lang: string) => get(care, `/api/v1/equipment/${other.id}/history`, { 'accept-language': lang }).then((r) => r.json().items as Json[]);
    expect((await history('en'))[0]).toMatchObject({ kind: 'status_changed', toStatus: 'out_of_service', reason: `Work order ${down.number}: Écran noir au démarrage` });
    expect((await history('fr'))[0]!.reason).toBe(`Bon ${down.number} : Écran noir au démarrage`);

    // A reason typed by a person is kept as typed, whatever the language.
    down = (await post(tech, `/api/v1/work-orders/${down.id}/assignees`, { userId: tech.userId })).json();
    const url = `/api/v1/work-orders/${down.id}/transitions`;
    down = (await post(tech, url, { to: 'in_progress' }, down.version)).json();
    expect((await post(tech, url, { to: 'on_hold', holdReason: 'waiting_parts', reason: 'Dalle commandée' }, down.version)).statusCode).toBe(200);
    const transitions = (await get(care, `${url}?lang=en`)).json().items as Json[];
    expect(transitions.at(-1)).toMatchObject({ toState: 'on_hold', reason: 'Dalle commandée' });
  });
});
