// The production server as a child process, for the tests and scripts that need the real thing (crash and
// shutdown tests, the soak): build the bundle, prepare a database file with an API key, start, wait for the port.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApiKeysRepository } from '../src/auth/api-keys.repository.js';
import { generateKey, hashKey } from '../src/auth/api-keys.js';
import type { KeyScope } from '../src/domain/vocabulary.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bundles src/server.ts to `outfile` (under the project, so node_modules, migrations and seed are found). */
export function buildServer(outfile: string): string {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outfile', outfile], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  return outfile;
}

/** Creates (or migrates) the database file and adds an API key the way `npm run keys -- create` does. */
export function createKeyInFile(databasePath: string, name: string, scope: KeyScope = 'editor'): string {
  const db = openDatabase(databasePath);
  try {
    migrate(db);
    const key = generateKey();
    createApiKeysRepository(db).create({ name, scope, keyHash: hashKey(key), createdAt: new Date().toISOString(), expiresAt: null });
    return key;
  } finally {
    db.close();
  }
}

export interface Running {
  child: ChildProcess;
  port: number;
  origin: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the bundle with this environment (PORT=0 unless given) and resolves once it listens. */
export function startServer(entry: string, env: Record<string, string>, { keepLines = true, nodeArgs = [] as string[] } = {}): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let listening = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        if (keepLines) lines.push(line);
        const m = listening ? null : /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) {
          listening = true;
          const port = Number(m[1]);
          resolve({ child, port, origin: `http://127.0.0.1:${port}`, lines, exited });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    void exited.then(({ code, signal }) => {
      if (!listening) reject(new Error(`server exited with ${code ?? signal} before listening: ${lines.slice(-20).join('\n')}`));
    });
  });
}
