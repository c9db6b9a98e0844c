// The seed command's arguments: it takes none. Checked before anything is opened, so that `seed --help` or a
// stray word prints the usage and writes nothing (both used to load the seed).
import { quote, showUsage, UsageError, usageExit, wantsHelp, type Lines } from './command.js';

export const SEED_USAGE = `Usage: npm run seed
  Loads the seed into DATABASE_PATH (default data/claims.db), creating and migrating the database if it is not there.
  A seed record nobody else changed is brought in line with a corrected seed file, as a new revision; one an editor
  changed or retracted is left as it is. Loading twice changes nothing.`;

/** null when the seed is to be loaded, or the exit code: 0 after --help, 2 after any argument (both printed). */
export function parseSeedArgs(argv: string[], io: Lines): null | number {
  if (wantsHelp(argv)) return showUsage(io, SEED_USAGE);
  if (argv.length === 0) return null;
  return usageExit(io, SEED_USAGE, new UsageError(`Unexpected argument ${quote(argv[0]!)}; seed takes none`));
}
