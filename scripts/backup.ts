// `npm run backup -- <file>`: a consistent online copy of DATABASE_PATH into a new file, while the service runs
// and writes (src/db/backup.ts). Prints what was copied as one JSON line; exits 1 on failure, 2 on bad usage.
// Restore: stop the service, put the file at DATABASE_PATH (no -wal or -shm beside it), start the service.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../src/config.js';
import { backupDatabase } from '../src/db/backup.js';
import { openDatabase } from '../src/db/open.js';

const [destination, ...rest] = process.argv.slice(2);
if (destination === undefined || rest.length > 0 || destination.startsWith('-')) {
  console.error('Usage: npm run backup -- <new-file.db>   (copies DATABASE_PATH, default data/claims.db)');
  process.exit(2);
}
const { databasePath } = loadConfig(process.env);
const db = openDatabase(databasePath, { readonly: true });
try {
  mkdirSync(dirname(destination), { recursive: true });
  console.log(JSON.stringify({ source: databasePath, ...backupDatabase(db, destination) }));
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  db.close();
}
