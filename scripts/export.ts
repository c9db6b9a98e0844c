// Exports records from DATABASE_PATH as NDJSON or CSV, through the same code as GET /v1/export:
//   npm run -s export -- --records all --includeRetracted true --out dump.ndjson
//   npm run -s export -- --format csv --kind market_value_change > claims.csv
import { runExport } from '../src/exchange/exchange.cli.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { createStore } from '../src/store.js';

// `export … | head`: when the reader goes away, stop quietly as other Unix filters do, not with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const { databasePath } = loadConfig(process.env);
// Read-only: an export never writes, and may run beside the serving process.
const db = openDatabase(databasePath, { readonly: true });
const code = await runExport(process.argv.slice(2), {
  store: createStore(db),
  stdout: process.stdout,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
db.close();
process.exitCode = code;
