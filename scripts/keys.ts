// Manages API keys in DATABASE_PATH: `npm run keys -- create --name desk --scope editor`, `list`, `revoke`.
// The database must exist (src/cli/database-file.ts): a key issued into a mistyped path would open nothing.
import { createApiKeysRepository } from '../src/auth/api-keys.repository.js';
import { parseKeysArgs, runKeys } from '../src/auth/keys.cli.js';
import { runScript, STDIO } from '../src/cli/command.js';
import { openExistingDatabase } from '../src/cli/database-file.js';
import { loadConfig } from '../src/config.js';

// The key goes to standard output alone, so that `npm run -s keys -- create ... > key.txt` captures just it.
const io = STDIO;
process.exitCode = await runScript(parseKeysArgs, (command) => {
  const db = openExistingDatabase(loadConfig(process.env).databasePath, { migrate: true });
  try {
    return runKeys(command, { ...io, keys: createApiKeysRepository(db) });
  } finally {
    db.close();
  }
});
