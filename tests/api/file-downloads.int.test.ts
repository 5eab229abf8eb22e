import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/**
 * Issue 9, item 8: files are handed over as downloads (Content-Disposition: attachment,
 * RFC 6266 with the UTF-8 name), never rendered on the API's origin, except the raster
 * photos the SPA shows as thumbnails; SVG and HTML are never inline.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let care: Session;
let tech: Session;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CSP = "default-src 'none'; sandbox";

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });

function upload(s: Session, workOrderId: string, name: string, data: Buffer, type: string) {
  const boundary = `----dl${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return ctx.app.inject({
    method: 'POST', url: `/api/v1/work-orders/${workOrderId}/attachments`, payload,
    headers: { ...s.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function workOrder(): Promise<Json> {
  const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
  return (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: 'Écran fendu, photo jointe', deviceOutOfService: false })).json();
}

describe('work-order attachments', () => {
  it('serves a PDF as a download, with its UTF-8 name (RFC 6266 / 5987)', async () => {
    const wo = await workOrder();
    const pdf = await upload(tech, wo.id, 'Devis réparation « écran » n°2.pdf', Buffer.from('%PDF-1.7\n%devis\n'), 'application/pdf');
    expect(pdf.statusCode).toBe(201);
    const res = await get(tech, `/api/v1/work-orders/${wo.id}/attachments/${pdf.json().id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="Devis reparation _ ecran _ n_2.pdf"; filename*=UTF-8\'\'Devis%20r%C3%A9paration%20%C2%AB%20%C3%A9cran%20%C2%BB%20n%C2%B02.pdf',
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(CSP);
  });

  it('shows a photo inline (the thumbnails), sandboxed', async () => {
    const wo = await workOrder();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const photo = await upload(care, wo.id, 'écran.png', png, 'image/png');
    const res = await get(care, `/api/v1/work-orders/${wo.id}/attachments/${photo.json().id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe('inline; filename="ecran.png"; filename*=UTF-8\'\'%C3%A9cran.png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.rawPayload.equals(png)).toBe(true);
  });

  it('never sends SVG or HTML inline: refused at upload (and by the table), a PDF named .html is a download', async () => {
    const wo = await workOrder();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect((await upload(care, wo.id, 'plan.svg', svg, 'image/svg+xml')).statusCode).toBe(415);
    expect((await upload(care, wo.id, 'notice.html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'text/html')).statusCode).toBe(415);
    const disguised = await upload(care, wo.id, 'notice.html', Buffer.from('%PDF-1.7\n<script>alert(1)</script>\n'), 'text/html');
    expect(disguised.statusCode).toBe(201);
    const res = await get(care, `/api/v1/work-orders/${wo.id}/attachments/${disguised.json().id}`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="notice.html"; filename*=UTF-8''notice.html`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(CSP);
  });
});

describe('documents made by the API', () => {
  it('hands over the intervention report, the register and the labels as downloads', async () => {
    const wo = await workOrder();
    const device = wo.equipment as Json;
    const documents = [
      { res: await get(tech, `/api/v1/work-orders/${wo.id}/report.pdf`), name: `${wo.number}.pdf` },
      { res: await get(tech, `/api/v1/equipment/${device.id}/register?format=pdf`), name: `registre-${device.inventoryNumber}.pdf` },
      { res: await post(care, '/api/v1/equipment/labels.pdf', { ids: [device.id] }), name: 'etiquettes.pdf' },
      { res: await get(care, `/api/v1/equipment/${device.id}/label.svg`), name: `etiquette-${device.inventoryNumber}.svg` },
    ];
    for (const { res, name } of documents) {
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['content-disposition'], name).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
    }
  });
});
