// The operator commands' edges (issue: operational audit of the CLIs): --help answers with the usage (exit 0) and a
// bad argument with the error and the usage (exit 2); keys, export, backup and import refuse a DATABASE_PATH that
// is not there and create nothing; seed refuses arguments; export --out does not overwrite without --force; a
// missing file or directory is one line naming it and the OS reason (exit 1) and changes no database; and what an
// import echoes from its file cannot drive the terminal, each problem printed once. In process with a fake io
// where the code allows it, and through the scripts (tsx) for what happens around the database file.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS_USAGE, runKeysCommand } from '../src/auth/keys.cli.js';
import { BACKUP_USAGE, parseBackupArgs } from '../src/cli/backup.cli.js';
import { CommandFailure } from '../src/cli/command.js';
import { openExistingDatabase } from '../src/cli/database-file.js';
import { printable } from '../src/cli/printable.js';
import { parseSeedArgs, SEED_USAGE } from '../src/cli/seed.cli.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { EXPORT_USAGE, IMPORT_USAGE, runExport, runImport } from '../src/exchange/exchange.cli.js';
import { createTestStore } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake io: what went to each stream, and the store the command works on. */
function fakeIo(store = createTestStore().store) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new Writable({ write: (_c, _e, done) => done() });
  return { out, err, io: { store, keys: store.keys, stdout, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** C0 and C1 controls, DEL: none may reach the terminal from a file. Tab and newline are the io's own. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('--help and bad arguments', () => {
  it('every command prints its usage on --help or -h and exits 0; nothing goes to standard error', async () => {
    for (const flag of ['--help', '-h']) {
      const keys = fakeIo();
      expect(runKeysCommand([flag], keys.io)).toBe(0);
      expect(runKeysCommand(['create', flag], keys.io)).toBe(0);
      expect(keys.out).toEqual([KEYS_USAGE, KEYS_USAGE]);
      const exp = fakeIo();
      expect(await runExport([flag], exp.io)).toBe(0);
      expect(exp.out).toEqual([EXPORT_USAGE]);
      const imp = fakeIo();
      expect(runImport([flag], imp.io)).toBe(0);
      expect(imp.out).toEqual([IMPORT_USAGE]);
      const other = fakeIo();
      expect(parseBackupArgs([flag], other.io)).toBe(0);
      expect(parseSeedArgs([flag], other.io)).toBe(0);
      expect(other.out).toEqual([BACKUP_USAGE, SEED_USAGE]);
      for (const f of [keys, exp, imp, other]) expect(f.err).toEqual([]);
    }
    expect(EXPORT_USAGE).toContain('--force');
    expect(IMPORT_USAGE).toContain('--new-database');
  });

  it('a bad argument prints the error and then the usage, exit 2, and does nothing', async () => {
    const cases: [string, (io: ReturnType<typeof fakeIo>['io']) => unknown, string, RegExp][] = [
      ['keys', (io) => runKeysCommand(['list', '--bogus'], io), KEYS_USAGE, /Unknown option '--bogus'/],
      ['export', (io) => runExport(['--bogus', 'x'], io), EXPORT_USAGE, /^Unknown option --bogus$/m],
      ['export', (io) => runExport(['--out'], io), EXPORT_USAGE, /^--out needs a value/m],
      ['export', (io) => runExport(['--force'], io), EXPORT_USAGE, /^--force overwrites the --out file/m],
      ['export', (io) => runExport(['--kind', 'nope'], io), EXPORT_USAGE, /^--kind: Invalid option/m],
      // A mistyped --dry-run used to be taken as an option with a value, and the import ran for real.
      ['import', (io) => runImport(['f.ndjson', '--reason', 'x', '--dryrun'], io), IMPORT_USAGE, /^Unknown option --dryrun$/m],
      ['import', (io) => runImport(['f.ndjson'], io), IMPORT_USAGE, /^--reason is required/m],
      ['backup', (io) => parseBackupArgs(['a.db', 'b.db'], io), BACKUP_USAGE, /^Unexpected argument "b.db"/m],
      ['backup', (io) => parseBackupArgs(['--bogus'], io), BACKUP_USAGE, /^Unknown option "--bogus"/m],
      ['seed', (io) => parseSeedArgs(['bogus'], io), SEED_USAGE, /^Unexpected argument "bogus"; seed takes none/m],
    ];
    for (const [name, run, usage, error] of cases) {
      const f = fakeIo();
      const before = f.io.store.revisions.lastSeq();
      expect(await run(f.io), name).toBe(2);
      const text = f.err.join('\n');
      expect(text, name).toMatch(error);
      expect(text.endsWith(`\n\n${usage}`), name).toBe(true);
      expect(f.out, name).toEqual([]);
      expect(f.io.store.revisions.lastSeq(), name).toBe(before);
    }
  });
});

describe('files: export --out, a missing input or output', () => {
  it('export --out refuses a file that exists (exit 1, file untouched) unless --force', async () => {
    const file = join(dir, 'exists.ndjson');
    writeFileSync(file, 'keep me\n');
    const refused = fakeIo();
    expect(await runExport(['--out', file], refused.io)).toBe(1);
    expect(refused.err).toEqual([`export: "${file}" exists; choose a new file name, or add --force to overwrite it`]);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const forced = fakeIo();
    expect(await runExport(['--out', file, '--force'], forced.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"type":"export"/);
    // Written beside itself and renamed into place: no partial file is left.
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('export --out never writes through a symlink planted at FILE.partial', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const file = join(dir, 'linked.ndjson');
    symlinkSync(victim, `${file}.partial`);
    const f = fakeIo();
    expect(await runExport(['--out', file], f.io)).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"type":"export"/);
  });

  it('export --out into a missing directory: one line with the path and ENOENT, exit 1', async () => {
    const file = join(dir, 'no-such-dir', 'out.ndjson');
    const f = fakeIo();
    expect(await runExport(['--out', file], f.io)).toBe(1);
    expect(f.err).toEqual([`export: cannot write "${file}": ENOENT (no such file or directory)`]);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('import of a missing file: one line with the path and ENOENT, exit 1, nothing written', () => {
    const file = join(dir, 'missing.ndjson');
    const f = fakeIo();
    const before = f.io.store.revisions.lastSeq();
    expect(runImport([file, '--reason', 'x'], f.io)).toBe(1);
    expect(f.err).toEqual([`import: cannot read "${file}": ENOENT (no such file or directory)`]);
    expect(f.io.store.revisions.lastSeq()).toBe(before);
  });

  it('import of a file that is not UTF-8: one line saying so, exit 1, nothing written (not "Caf\uFFFD")', () => {
    const file = join(dir, 'latin1.ndjson');
    writeFileSync(file, Buffer.from(`${JSON.stringify({ type: 'entity', record: { id: 'latin1-cafe', name: 'Café', type: 'organization' } })}\n`, 'latin1'));
    const f = fakeIo();
    const before = f.io.store.revisions.lastSeq();
    expect(runImport([file, '--reason', 'x'], f.io)).toBe(1);
    expect(f.err).toEqual([`import: "${file}" is not UTF-8 text; convert it to UTF-8 (an export always is)`]);
    expect(f.io.store.revisions.lastSeq()).toBe(before);
  });
});

describe('what import prints about a bad file', () => {
  it('escapes control characters from the file, and prints each problem once', () => {
    const file = join(dir, 'hostile.ndjson');
    // A line that would retitle the terminal (OSC 0 ... BEL), one with a C1 CSI, and a record with an ESC in its id.
    writeFileSync(file, '\u001b]0;pwned\u0007\n\u009b2J\n{"type":"entity","record":{"id":"a\\u001bb","name":"x","type":"person"}}\n');
    const f = fakeIo(createTestStore({ seed: false }).store);
    expect(runImport([file, '--reason', 'x'], f.io)).toBe(1);
    const text = f.err.join('\n');
    for (const line of f.err) expect(line).not.toMatch(CONTROL);
    expect(text).toContain('\\x1b]0;pwned\\x07');
    expect(text).toContain('\\x9b2J');
    // The summary, then the problems: each once (the first used to be printed in the summary as well).
    expect(f.err[0]).toBe('invalid-request: 3 lines of the import are invalid; nothing was written.');
    const details = f.err.slice(1);
    expect(new Set(details).size).toBe(details.length);
    for (const d of details) expect(text.split(d.replace(/^ {2}[^:]+: /, '')).length - 1, d).toBe(1);
    expect(f.io.store.isEmpty()).toBe(true);
  });

  it('printable escapes C0, DEL, C1 and bidi controls, and leaves other text alone', () => {
    expect(printable('a\u001b[31mb\u0007\u007f\u0085\u202ec\td\ne é 中')).toBe('a\\x1b[31mb\\x07\\x7f\\x85\\u202ec\\x09d\\x0ae é 中');
  });
});

describe('a DATABASE_PATH that does not exist', () => {
  it('openExistingDatabase refuses it in one line naming the path and how to make one, and creates nothing', () => {
    const path = join(dir, 'typo', 'claims.db');
    expect(() => openExistingDatabase(path)).toThrow(CommandFailure);
    expect(() => openExistingDatabase(path, { readonly: true })).toThrow(
      `DATABASE_PATH "${path}" does not exist, and this command does not create it: check the path; a new one is made by starting the service (npm start) or by the seed command (npm run seed)`,
    );
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(() => openExistingDatabase(dir)).toThrow(`DATABASE_PATH "${dir}" is a directory, not a database file`);
  });
});

describe('the scripts, around the database file', () => {
  const script = (name: string, args: string[], databasePath: string, extraEnv: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: databasePath, ...extraEnv },
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const existing = join(dir, 'existing.db');
  beforeAll(() => {
    const db = openDatabase(existing);
    migrate(db);
    db.close();
  });
  /** The database file and any -wal or -shm beside it, as bytes: what "changed nothing" compares. */
  const snapshot = (path: string) => ['', '-wal', '-shm'].map((s) => (existsSync(path + s) ? readFileSync(path + s).toString('base64') : null));

  it('keys, export, backup and import refuse a DATABASE_PATH that does not exist: one line, exit 1, nothing created', () => {
    const missing = join(dir, 'mistyped', 'claims.db');
    const file = join(dir, 'never.ndjson');
    writeFileSync(file, '');
    const runs = [
      script('keys', ['list'], missing),
      script('keys', ['create', '--name', 'desk', '--scope', 'editor'], missing),
      script('export', ['--records', 'all'], missing),
      script('backup', [join(dir, 'never.db')], missing),
      script('import', [file, '--reason', 'x'], missing),
    ];
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toContain(`DATABASE_PATH "${missing}" does not exist`);
      expect(r.stderr).toMatch(/starting the service .* seed command/);
    }
    expect(runs.at(-1)!.stderr).toContain('--new-database');
    expect(existsSync(join(dir, 'mistyped'))).toBe(false);
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });

  it('but --help and a bad argument are answered without a database', () => {
    const missing = join(dir, 'mistyped', 'claims.db');
    const help = script('keys', ['--help'], missing);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(`${KEYS_USAGE}\n`);
    expect(script('export', ['--nope'], missing).code).toBe(2);
    expect(existsSync(join(dir, 'mistyped'))).toBe(false);
  });

  it('seed refuses arguments and --help writes nothing; with none it creates and loads the database', () => {
    const path = join(dir, 'seeded', 'claims.db');
    const help = script('seed', ['--help'], path);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(`${SEED_USAGE}\n`);
    const bogus = script('seed', ['bogus'], path);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('Unexpected argument "bogus"');
    expect(existsSync(join(dir, 'seeded'))).toBe(false);
    const loaded = script('seed', [], path);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/^seed: \d+ records created, 0 corrected, 0 already as in the seed, 0 changed by editors/);
  });

  it('import of a missing file is one line and touches no database, not even to migrate it or to create one', () => {
    const file = join(dir, 'absent.ndjson');
    const before = snapshot(existing);
    const r = script('import', [file, '--reason', 'x'], existing);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`import: cannot read "${file}": ENOENT (no such file or directory)\n`);
    expect(snapshot(existing)).toEqual(before);
    const fresh = join(dir, 'fresh', 'claims.db');
    expect(script('import', [file, '--reason', 'x', '--new-database'], fresh).code).toBe(1);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });

  it('backup: a destination it cannot make is one line with the reason, exit 1', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const r = script('backup', [join(blocker, 'copy.db')], existing);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^backup failed: (EEXIST|ENOTDIR): .*a-file/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it("every command refuses another application's database in one line and leaves it byte for byte as it was", () => {
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, '');
    for (const version of [0, 7]) {
      const foreign = join(dir, `notes-${version}.db`);
      const other = new Database(foreign);
      other.exec('CREATE TABLE notes (body TEXT)');
      other.pragma(`user_version = ${version}`);
      other.close();
      const before = snapshot(foreign);
      for (const r of [
        script('keys', ['list'], foreign),
        script('keys', ['create', '--name', 'desk', '--scope', 'editor'], foreign),
        script('export', ['--records', 'all'], foreign),
        script('backup', [join(dir, `never-${version}.db`)], foreign),
        script('import', [file, '--reason', 'x', '--dry-run'], foreign),
        script('seed', [], foreign),
      ]) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toContain('has tables (notes) but no claims-api schema');
      }
      expect(snapshot(foreign)).toEqual(before);
    }
  });

  it('keys, export, backup and import refuse an empty file as they refuse a missing one, and leave it empty', () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const tableless = join(dir, 'tableless.db');
    new Database(tableless).close();
    const file = join(dir, 'one-more.ndjson');
    writeFileSync(file, '');
    for (const path of [empty, tableless]) {
      const before = snapshot(path);
      for (const r of [
        script('keys', ['list'], path),
        script('keys', ['create', '--name', 'desk', '--scope', 'editor'], path),
        script('export', ['--records', 'all'], path),
        script('backup', [join(dir, 'never-empty.db')], path),
        script('import', [file, '--reason', 'x'], path),
      ]) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toContain(`DATABASE_PATH "${path}" is an empty file, not a claims-api database`);
      }
      expect(snapshot(path)).toEqual(before);
    }
  });

  it('a database locked by another process past the wait is one line, not a stack trace', () => {
    const holder = new Database(existing);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = script('keys', ['create', '--name', 'locked-out', '--scope', 'editor'], existing, {});
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^database \(DATABASE_PATH\): database is locked \(SQLITE_BUSY\)\n$/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 20_000);

  it('a bad environment is the configuration error, as the service reports it (exit 2), not a stack trace', () => {
    const r = script('keys', ['list'], existing, { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Invalid configuration:\n {2}PORT: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
