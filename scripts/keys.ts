// Manages API keys in DATABASE_PATH: `npm run keys -- create --name desk --scope editor`, `list`, `revoke`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createApiKeysRepository } from '../src/auth/api-keys.repository.js';
import { runKeysCommand } from '../src/auth/keys.cli.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';

const { databasePath } = loadConfig(process.env);
if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
const db = openDatabase(databasePath);
migrate(db);
const code = runKeysCommand(process.argv.slice(2), {
  keys: createApiKeysRepository(db),
  // The key goes to standard output alone, so that `npm run -s keys -- create ... > key.txt` captures just it.
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
db.close();
process.exit(code);
