import { describe, expect, it } from 'vitest';
import { asciiFileName, contentDisposition } from './file-reply.js';

describe('contentDisposition (RFC 6266, filename* per RFC 5987)', () => {
  it('gives old clients an ASCII name and browsers the exact UTF-8 one', () => {
    expect(contentDisposition('attachment', 'Rapport été.pdf')).toBe(`attachment; filename="Rapport ete.pdf"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf`);
    expect(contentDisposition('inline', 'Łukasz (1).png')).toBe(`inline; filename="_ukasz (1).png"; filename*=UTF-8''%C5%81ukasz%20%281%29.png`);
    expect(contentDisposition('attachment', '检查报告.pdf')).toBe(`attachment; filename="_.pdf"; filename*=UTF-8''%E6%A3%80%E6%9F%A5%E6%8A%A5%E5%91%8A.pdf`);
  });

  it('keeps quotes, semicolons, line breaks and paths out of the header', () => {
    const header = contentDisposition('attachment', '../a"b;c\r\nSet-Cookie: x=1\'.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`attachment; filename="_a_b_c_Set-Cookie_ x_1_.pdf"; filename*=UTF-8''.._a%22b%3Bc_Set-Cookie%3A%20x%3D1%27.pdf`);
  });

  it('never answers an empty name', () => {
    expect(asciiFileName('   ')).toBe('fichier');
    expect(contentDisposition('attachment', '')).toBe(`attachment; filename="fichier"; filename*=UTF-8''fichier`);
  });
});
