// Imports an NDJSON export into DATABASE_PATH in one transaction, through the same code as POST /v1/import:
//   npm run import -- dump.ndjson --reason "Restore from the 2026-11 export" [--dry-run] [--author NAME]
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runImport } from '../src/exchange/exchange.cli.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { createStore } from '../src/store.js';

const { databasePath } = loadConfig(process.env);
if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
const db = openDatabase(databasePath);
migrate(db);
const code = runImport(process.argv.slice(2), {
  store: createStore(db),
  stdout: process.stdout,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
db.close();
process.exit(code);
