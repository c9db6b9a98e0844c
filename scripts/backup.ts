// `npm run backup -- <file>`: a consistent online copy of DATABASE_PATH into a new file, while the service runs
// and writes (src/db/backup.ts). Prints what was copied as one JSON line; exits 1 on failure, 2 on bad usage.
// Restore: stop the service, put the file at DATABASE_PATH (no -wal or -shm beside it), start the service.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseBackupArgs } from '../src/cli/backup.cli.js';
import { CommandFailure, runScript, STDIO } from '../src/cli/command.js';
import { openExistingDatabase } from '../src/cli/database-file.js';
import { printable } from '../src/cli/printable.js';
import { loadConfig } from '../src/config.js';
import { backupDatabase } from '../src/db/backup.js';

const io = STDIO;
process.exitCode = await runScript(parseBackupArgs, (destination) => {
  const { databasePath } = loadConfig(process.env);
  const db = openExistingDatabase(databasePath, { readonly: true });
  try {
    mkdirSync(dirname(destination), { recursive: true });
    io.out(JSON.stringify({ source: databasePath, ...backupDatabase(db, destination) }));
    return 0;
  } catch (err) {
    // The destination exists, its directory cannot be made, the disk is full: one line, with the reason.
    throw new CommandFailure(`backup failed: ${printable((err as Error).message)}`);
  } finally {
    db.close();
  }
});
