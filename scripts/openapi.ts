// Writes the OpenAPI document the app serves to openapi/openapi.json, or with --check fails when the
// committed file differs from it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { createStore } from '../src/store.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

export async function generateOpenApi(): Promise<string> {
  const db = openDatabase(':memory:');
  migrate(db);
  const app = await buildApp({ store: createStore(db) });
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  db.close();
  return doc;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = await generateOpenApi();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== doc) {
      console.error('openapi/openapi.json is out of date: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
    console.log('openapi/openapi.json matches the app.');
  } else {
    writeFileSync(OPENAPI_FILE, doc);
    console.log(`wrote ${OPENAPI_FILE}`);
  }
}
