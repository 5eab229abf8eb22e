import fs from 'node:fs';
import { readTableNow } from './read-table.js';
import { DEFAULT_IMPORT_LIMITS } from './table-reader.js';
const t = await readTableNow(fs.readFileSync(process.argv[2]!), DEFAULT_IMPORT_LIMITS);
console.log(t.rows.length, t.header.length, JSON.stringify(t.rows.slice(0, 3)));
