import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseConfig, type Config } from '@gmao/config';
import { TableLimitError, type TableLimits } from '@gmao/domain';
import { UnreadableFileError, type Table } from './table.js';

/**
 * Spreadsheets are read off the event loop, in one parser thread per process, one file
 * at a time: uploads, dry runs and the worker's commit queue up here, so that two files
 * at once never take twice the memory of one, and the API keeps answering while a file
 * is read. The limits are checked while reading (read-table.ts, read-xlsx.ts); the
 * thread's heap limit (`readerMemoryMb`) is a second guard: a file that exhausts it is
 * refused (TableLimitError 'memory') and the thread is replaced. An idle thread stops
 * after a while, handing its memory back.
 */
export interface ImportLimits extends TableLimits {
  /** Heap of the parser thread (V8's old generation), in MB. */
  readerMemoryMb: number;
}

type LimitVariables = 'IMPORT_MAX_UNCOMPRESSED_BYTES' | 'IMPORT_MAX_ROWS' | 'IMPORT_MAX_COLUMNS' | 'IMPORT_MAX_CELL_CHARS' | 'IMPORT_READER_MEMORY_MB';

/** The limits of the configuration (IMPORT_* variables). */
export function importLimits(config: Pick<Config, LimitVariables>): ImportLimits {
  return {
    maxUncompressedBytes: config.IMPORT_MAX_UNCOMPRESSED_BYTES,
    maxRows: config.IMPORT_MAX_ROWS,
    maxColumns: config.IMPORT_MAX_COLUMNS,
    maxCellChars: config.IMPORT_MAX_CELL_CHARS,
    readerMemoryMb: config.IMPORT_READER_MEMORY_MB,
  };
}

/** The defaults of packages/config, for callers without a configuration at hand. */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = importLimits(parseConfig({}));

export interface TableSummary extends Omit<Table, 'rows'> {
  rowCount: number;
  /** The first rows, each cell cut to SAMPLE_CELL_CHARS. */
  sampleRows: string[][];
}

/** 'full': every row; otherwise the summary with this many sample rows. */
export type ReadMode = 'full' | { sampleRows: number };

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  limits: TableLimits;
  mode: ReadMode;
}

type ReadError =
  | { type: 'limit'; kind: TableLimitError['kind']; limit: number; where: TableLimitError['where'] }
  | { type: 'unreadable'; message: string }
  | { type: 'other'; message: string; stack?: string };

export type ReadResponse =
  | { id: number; ok: true; table: Table }
  | { id: number; ok: true; summary: TableSummary }
  | { id: number; ok: false; error: ReadError };

interface Task {
  request: ReadRequest;
  memoryMb: number;
  resolve(response: ReadResponse): void;
  reject(err: Error): void;
}

const IDLE_MS = 30_000;

/** The thread runs this module's sibling; from TypeScript sources it registers tsx first. */
function startThread(memoryMb: number): Worker {
  const entry = new URL(`./table-reader-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const options = { resourceLimits: { maxOldGenerationSizeMb: memoryMb } };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Module hooks are not inherited by worker threads (Node 20): register tsx in the thread.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

class TableReader {
  private thread: Worker | null = null;
  private readonly queue: Task[] = [];
  private current: Task | null = null;
  /** The thread the current task was posted to. */
  private currentThread: Worker | null = null;
  private idle: NodeJS.Timeout | null = null;
  private nextId = 1;

  read(bytes: Uint8Array, limits: ImportLimits, mode: ReadMode): Promise<ReadResponse> {
    // The thread gets its own copy, moved rather than copied again.
    const copy = new Uint8Array(bytes);
    const { readerMemoryMb, ...tableLimits } = limits;
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, bytes: copy, limits: tableLimits, mode }, memoryMb: readerMemoryMb, resolve, reject });
      this.pump();
    });
  }

  /** Stops the thread (tests, shutdown); a later read starts a new one. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    if (thread) await thread.terminate();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const task = this.queue.shift()!;
    this.current = task;
    const thread = this.thread ?? this.spawn(task.memoryMb);
    this.currentThread = thread;
    thread.ref();
    thread.postMessage(task.request, [task.request.bytes.buffer as ArrayBuffer]);
  }

  private spawn(memoryMb: number): Worker {
    const thread = startThread(memoryMb);
    this.thread = thread;
    thread.on('message', (response: ReadResponse) => {
      const task = this.current;
      if (!task || task.request.id !== response.id) return;
      this.finish(thread);
      task.resolve(response);
    });
    const fail = (err: Error) => {
      if (this.thread === thread) this.thread = null;
      // A thread that failed ('error', then 'exit') fails only the task it was given, never
      // the next file, already handed to its replacement.
      if (this.currentThread !== thread) return;
      const task = this.current;
      this.current = null;
      this.currentThread = null;
      if (task) {
        const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        task.reject(outOfMemory ? new TableLimitError('memory', task.memoryMb) : err);
      }
      this.pump();
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`the table reader thread stopped (exit code ${code})`)));
    return thread;
  }

  private finish(thread: Worker): void {
    this.current = null;
    this.currentThread = null;
    if (this.queue.length > 0) return this.pump();
    thread.unref();
    this.idle = setTimeout(() => {
      if (this.thread === thread && !this.current && this.queue.length === 0) void this.close();
    }, IDLE_MS);
    this.idle.unref();
  }
}

const reader = new TableReader();

function raise(error: ReadError): never {
  if (error.type === 'limit') throw new TableLimitError(error.kind, error.limit, error.where);
  if (error.type === 'unreadable') throw new UnreadableFileError(error.message);
  const err = new Error(error.message);
  if (error.stack) err.stack = error.stack;
  throw err;
}

/** Every row of the file, read in the parser thread (TableLimitError, UnreadableFileError). */
export async function readTable(bytes: Uint8Array, limits: ImportLimits): Promise<Table> {
  const response = await reader.read(bytes, limits, 'full');
  if (!response.ok) raise(response.error);
  if (!('table' in response)) throw new Error('table reader: a table was expected');
  return response.table;
}

/** Header, row count and the first rows (cells cut short), read in the parser thread. */
export async function summarizeTable(bytes: Uint8Array, limits: ImportLimits, sampleRows = 5): Promise<TableSummary> {
  const response = await reader.read(bytes, limits, { sampleRows });
  if (!response.ok) raise(response.error);
  if (!('summary' in response)) throw new Error('table reader: a summary was expected');
  return response.summary;
}

/** Stops the parser thread (it also stops by itself when idle). */
export function closeTableReader(): Promise<void> {
  return reader.close();
}
