// Imports an NDJSON export into DATABASE_PATH in one transaction, through the same code as POST /v1/import:
//   npm run import -- dump.ndjson --reason "Restore from the 2026-11 export" [--dry-run] [--author NAME] [--new-database]
// The file is read before the database is opened, so that a missing file changes no database. DATABASE_PATH must
// exist unless --new-database; a database made for the import is removed again when nothing was imported into it.
import { rmSync } from 'node:fs';
import { runScript, STDIO } from '../src/cli/command.js';
import { openExistingDatabase, openOrCreateDatabase } from '../src/cli/database-file.js';
import { importRecords, parseImportArgs, readImportFile } from '../src/exchange/exchange.cli.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/store.js';

const io = STDIO;
process.exitCode = await runScript(parseImportArgs, (request) => {
  const body = readImportFile(request.file);
  const { databasePath } = loadConfig(process.env);
  const { db, created } = request.newDatabase
    ? openOrCreateDatabase(databasePath, { migrate: true })
    : { db: openExistingDatabase(databasePath, { migrate: true, orElse: 'or add --new-database to import into a new one' }), created: false };
  let code = 1;
  try {
    code = importRecords(request, body, { ...io, store: createStore(db), stdout: process.stdout });
    return code;
  } finally {
    db.close();
    if (created && (code !== 0 || request.dryRun)) for (const f of ['', '-wal', '-shm']) rmSync(`${databasePath}${f}`, { force: true });
  }
});
