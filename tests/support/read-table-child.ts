/**
 * Reads spreadsheet files through the import's table reader (its parser thread) in a
 * process of its own, and prints what happened and the process's peak memory, so that a
 * test can bound the memory a hostile file takes without the noise of the test process.
 *   tsx tests/support/read-table-child.ts <file>...   (the files are read at the same time)
 */
import fs from 'node:fs';
import { DEFAULT_IMPORT_LIMITS, closeTableReader, readTable } from '@gmao/db';

const files = process.argv.slice(2);
const data = files.map((f) => fs.readFileSync(f));
const rssBeforeMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);
const outcomes = await Promise.all(data.map(async (bytes) => {
  try {
    const table = await readTable(bytes, DEFAULT_IMPORT_LIMITS);
    return { ok: true, rows: table.rows.length, longestCell: table.rows.reduce((m, r) => Math.max(m, ...r.map((c) => c.length)), 0) };
  } catch (err) {
    return { ok: false, error: (err as Error).name, message: (err as Error).message };
  }
}));
await closeTableReader();
process.stdout.write(`${JSON.stringify({ rssBeforeMb, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), outcomes })}\n`);
