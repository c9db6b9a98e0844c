// Loads the seed into DATABASE_PATH through the write service; existing records are left as they are.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';

const { databasePath } = loadConfig(process.env);
if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
const db = openDatabase(databasePath);
migrate(db);
const result = loadSeed(createStore(db));
db.close();
console.log(`seed: ${result.created} records created, ${result.unchanged} already present (${databasePath})`);
