/**
 * The parser thread's entry (see table-reader.ts): reads one file per message, under the
 * limits it is given, and answers the table, its summary, or why it was refused.
 */
import { parentPort } from 'node:worker_threads';
import { TableLimitError, truncateCell } from '@gmao/domain';
import { readTableNow } from './read-table.js';
import { UnreadableFileError } from './table.js';
import type { ReadRequest, ReadResponse } from './table-reader.js';

const port = parentPort;
if (!port) throw new Error('table-reader-thread runs in a worker thread');

port.on('message', (request: ReadRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer({ id, bytes, limits, mode }: ReadRequest): Promise<ReadResponse> {
  try {
    const table = await readTableNow(bytes, limits);
    if (mode === 'full') return { id, ok: true, table };
    const { rows, ...rest } = table;
    return {
      id, ok: true,
      summary: { ...rest, rowCount: rows.length, sampleRows: rows.slice(0, mode.sampleRows).map((r) => r.map((c) => truncateCell(c))) },
    };
  } catch (err) {
    if (err instanceof TableLimitError) return { id, ok: false, error: { type: 'limit', kind: err.kind, limit: err.limit, where: err.where } };
    if (err instanceof UnreadableFileError) return { id, ok: false, error: { type: 'unreadable', message: err.message } };
    return { id, ok: false, error: { type: 'other', message: (err as Error).message ?? String(err), stack: (err as Error).stack } };
  }
}
