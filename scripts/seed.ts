// Loads the seed into DATABASE_PATH through the write service, and brings seed records nobody else changed in line
// with corrected seed files (src/db/seed.ts). Unlike the other operator commands, it may create the database: making
// one is its job.
import { parseSeedArgs } from '../src/cli/seed.cli.js';
import { openOrCreateDatabase } from '../src/cli/database-file.js';
import { runOrFail, STDIO } from '../src/cli/command.js';
import { loadConfig } from '../src/config.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';

const io = STDIO;
const refused = parseSeedArgs(process.argv.slice(2), io);
process.exitCode =
  refused ??
  (await runOrFail(io, () => {
    const { databasePath } = loadConfig(process.env);
    const { db } = openOrCreateDatabase(databasePath, { migrate: true });
    try {
      const result = loadSeed(createStore(db));
      io.out(
        `seed: ${result.created} records created, ${result.corrected} corrected, ${result.unchanged} already as in the seed, ` +
          `${result.keptEdits} changed by editors and left as they are (${databasePath})`,
      );
      return 0;
    } finally {
      db.close();
    }
  }));
