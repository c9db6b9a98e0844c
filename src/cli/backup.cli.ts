// The backup command's arguments (scripts/backup.ts does the copy, through src/db/backup.ts): read before the
// database is opened, so that --help and a bad argument never touch it.
import { quote, showUsage, UsageError, usageExit, wantsHelp, type Lines } from './command.js';

export const BACKUP_USAGE = `Usage: npm run backup -- <new-file.db>
  A consistent copy of DATABASE_PATH (default data/claims.db, which must exist) into a new file, while the service runs.
  The file must not exist; its directory is created if need be.`;

/** The backup's destination, or the exit code when there is none: 0 after --help, 2 after a bad argument. */
export function parseBackupArgs(argv: string[], io: Lines): string | number {
  if (wantsHelp(argv)) return showUsage(io, BACKUP_USAGE);
  try {
    const [destination, ...extra] = argv;
    if (destination === undefined) throw new UsageError('Which file? The argument is the new file to copy the database into');
    if (destination.startsWith('-')) throw new UsageError(`Unknown option ${quote(destination)}`);
    if (extra.length > 0) throw new UsageError(`Unexpected argument ${quote(extra[0]!)}; backup takes one file`);
    return destination;
  } catch (e) {
    return usageExit(io, BACKUP_USAGE, e);
  }
}
