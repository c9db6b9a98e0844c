// Exports records from DATABASE_PATH as NDJSON or CSV, through the same code as GET /v1/export:
//   npm run -s export -- --records all --includeRetracted true --out dump.ndjson
//   npm run -s export -- --format csv --kind market_value_change > claims.csv
import { runScript, STDIO } from '../src/cli/command.js';
import { openExistingDatabase } from '../src/cli/database-file.js';
import { exportRecords, parseExportArgs } from '../src/exchange/exchange.cli.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/store.js';

// `export … | head`: when the reader goes away, stop quietly as other Unix filters do, not with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const io = STDIO;
process.exitCode = await runScript(parseExportArgs, async (request) => {
  // Read-only: an export never writes, and may run beside the serving process.
  const db = openExistingDatabase(loadConfig(process.env).databasePath, { readonly: true });
  try {
    return await exportRecords(request, { ...io, store: createStore(db), stdout: process.stdout });
  } finally {
    db.close();
  }
});
