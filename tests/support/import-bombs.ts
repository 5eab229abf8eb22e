import zlib from 'node:zlib';

/**
 * Hostile spreadsheets, generated rather than committed: a few hundred kB that expand to
 * hundreds of MB. Built chunk by chunk so that the test process never holds the expansion.
 */

interface ZipEntry {
  name: string;
  /** The entry's content, chunk by chunk. */
  chunks: Iterable<string | Buffer>;
  /** Lie about the uncompressed size in the headers (the default is the real size). */
  declaredSize?: number;
}

async function deflate(chunks: Iterable<string | Buffer>): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflater = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    deflater.on('end', resolve);
    deflater.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  for (const chunk of chunks) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += b.length;
    crc = zlib.crc32(b, crc);
    if (!deflater.write(b)) await new Promise((r) => deflater.once('drain', r));
  }
  deflater.end();
  await ended;
  return { data: Buffer.concat(out), size, crc };
}

/** A zip archive (deflate, no data descriptors), as XLSX files are. */
export async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const { data, size, crc } = await deflate(e.chunks);
    const name = Buffer.from(e.name, 'utf8');
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function* repeat(chunk: string, totalChars: number): Generator<string> {
  const big = chunk.repeat(Math.max(1, Math.floor((1 << 20) / chunk.length)));
  let left = totalChars;
  while (left >= big.length) {
    yield big;
    left -= big.length;
  }
  const tail = Math.floor(left / chunk.length);
  if (tail > 0) yield chunk.repeat(tail);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
  + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
  + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>';
const ROOT_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
  + '<sheets><sheet name="Inventaire" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
  + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';
const SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_CLOSE = '</sheetData></worksheet>';
const SST_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

function workbook(
  sheet: Iterable<string>, sharedStrings: Iterable<string>, opts: { sheetDeclaredSize?: number; sharedDeclaredSize?: number } = {},
): Promise<Buffer> {
  return zip([
    { name: '[Content_Types].xml', chunks: [CONTENT_TYPES] },
    { name: '_rels/.rels', chunks: [ROOT_RELS] },
    { name: 'xl/workbook.xml', chunks: [WORKBOOK] },
    { name: 'xl/_rels/workbook.xml.rels', chunks: [WORKBOOK_RELS] },
    { name: 'xl/worksheets/sheet1.xml', chunks: sheet, declaredSize: opts.sheetDeclaredSize },
    { name: 'xl/sharedStrings.xml', chunks: sharedStrings, declaredSize: opts.sharedDeclaredSize },
  ]);
}

/**
 * ~200 kB: a header, one row whose cell is a shared string of `chars` characters (200 M by
 * default). `declaredSize` is what the zip headers say of the shared strings.
 */
export function xlsxHugeSharedString(chars = 200_000_000, declaredSize?: number): Promise<Buffer> {
  const sheet = [SHEET_OPEN, '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
    '<row r="2"><c r="A2" t="inlineStr"><is><t>BOMB-1</t></is></c><c r="B2" t="s"><v>2</v></c></row>', SHEET_CLOSE];
  function* sst() {
    yield `${SST_OPEN}<si><t>N° inventaire</t></si><si><t>Remarques</t></si><si><t>`;
    yield* repeat('A', chars);
    yield '</t></si></sst>';
  }
  return workbook(sheet, sst(), { sharedDeclaredSize: declaredSize });
}

/**
 * ~1 MB expanding to `bytes` (491 MB by default) of empty styled cells: nothing a row or
 * cell limit would see, only the expansion. `declaredSize` is what the zip headers say.
 */
export function xlsxExpansion(bytes = 491_000_000, declaredSize?: number): Promise<Buffer> {
  function* sheet() {
    yield SHEET_OPEN;
    yield '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>BOMB-1</t></is></c></row><row r="3">';
    yield* repeat('<c s="0"/>', bytes);
    yield `</row>${SHEET_CLOSE}`;
  }
  return workbook(sheet(), [`${SST_OPEN}<si><t>N° inventaire</t></si></sst>`], { sheetDeclaredSize: declaredSize });
}

/** A CSV file with one cell of `chars` characters (49 M by default). */
export function csvHugeCell(chars = 49_000_000): Buffer {
  const head = Buffer.from("N° inventaire;Remarques\r\nBOMB-1;", 'utf8');
  const cell = Buffer.alloc(chars, 'x');
  return Buffer.concat([head, cell, Buffer.from('\r\n')]);
}
