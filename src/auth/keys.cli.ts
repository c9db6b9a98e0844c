// The `keys` command: create, list and revoke API keys. A new key is printed once and never again; only its
// hash is stored. Kept apart from scripts/keys.ts (which opens the database) so that tests can drive it. The
// arguments are read first (parseKeysArgs), so that --help and a bad argument never touch the database.
import { parseArgs } from 'node:util';
import { quote, showUsage, UsageError, usageExit, wantsHelp, type Lines } from '../cli/command.js';
import { KEY_SCOPES, type KeyScope } from '../domain/vocabulary.js';
import { generateKey, hashKey, KEY_NAME, SEED_AUTHOR } from './api-keys.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

export const KEYS_USAGE = `Usage:
  npm run keys -- create --name <name> --scope editor|admin [--expires <YYYY-MM-DD | RFC 3339 time>]
  npm run keys -- list
  npm run keys -- revoke --name <name>
DATABASE_PATH (default data/claims.db) must be an existing database.`;

export interface KeysIo extends Lines {
  keys: ApiKeysRepository;
  now?: () => Date;
}

export type KeysCommand =
  | { command: 'create'; name: string; scope: KeyScope; expiresAt: string | null }
  | { command: 'list' }
  | { command: 'revoke'; name: string };

/** YYYY-MM-DD, or an RFC 3339 time: a date, T, a time, and an offset (Z or +hh:mm). */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * "2027-01-01" is the start of that day in UTC; a full time is taken as given, with its offset. Only those two forms:
 * Date's own parsing took 2027-02-30 for 2 March, "June 1, 2027" and "2027" as dates, and a time without an offset in
 * the machine's zone, so a mistyped expiry silently gave a key another lifetime.
 */
function parseExpiry(value: string, now: Date): string {
  const day = DAY.exec(value);
  const parts = day ?? RFC3339.exec(value);
  const at = new Date(parts === null ? NaN : day !== null ? `${value}T00:00:00.000Z` : value);
  // A day that does not exist rolls over in Date (30 February is 2 March): it must come back as written.
  const sameDay = parts !== null && !Number.isNaN(at.getTime()) && realDay(Number(parts[1]), Number(parts[2]), Number(parts[3]));
  if (!sameDay) throw new UsageError(`--expires: ${quote(value)} is not a date (YYYY-MM-DD) or an RFC 3339 time with its offset (2027-06-01T10:00:00Z)`);
  if (at <= now) throw new UsageError(`--expires: ${at.toISOString()} is already past`);
  return at.toISOString();
}

function realDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** The command to run, or the exit code when there is none: 0 after --help, 2 after a bad argument (both printed). */
export function parseKeysArgs(argv: string[], io: Lines & { now?: () => Date }): KeysCommand | number {
  if (wantsHelp(argv)) return showUsage(io, KEYS_USAGE);
  const now = (io.now ?? (() => new Date()))();
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, scope: { type: 'string' }, expires: { type: 'string' } },
    });
    const [command, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`Unexpected argument ${quote(extra[0]!)}`);

    if (command === 'create') {
      const name = required(values.name, '--name');
      if (!KEY_NAME.test(name)) throw new UsageError('--name: lowercase letters, digits, ".", "_" and "-", at most 64 characters');
      if (name === SEED_AUTHOR) throw new UsageError(`--name: "${SEED_AUTHOR}" is reserved: it names the seed's own revisions, which seed corrections may update`);
      const scope = required(values.scope, '--scope');
      if (!(KEY_SCOPES as readonly string[]).includes(scope)) throw new UsageError(`--scope: one of ${KEY_SCOPES.join(', ')}`);
      const expiresAt = values.expires === undefined ? null : parseExpiry(values.expires, now);
      return { command, name, scope: scope as KeyScope, expiresAt };
    }
    if (command === 'list') {
      if (values.name !== undefined || values.scope !== undefined || values.expires !== undefined) throw new UsageError('list takes no options');
      return { command };
    }
    if (command === 'revoke') {
      if (values.scope !== undefined || values.expires !== undefined) throw new UsageError('revoke takes only --name');
      return { command, name: required(values.name, '--name') };
    }
    throw new UsageError(command === undefined ? 'Which command?' : `Unknown command ${quote(command)}`);
  } catch (e) {
    return usageExit(io, KEYS_USAGE, e);
  }
}

/** Runs a parsed command; returns the process exit code (0 done, 1 refused). */
export function runKeys(c: KeysCommand, io: KeysIo): number {
  const now = (io.now ?? (() => new Date()))();
  if (c.command === 'create') {
    const { name, scope, expiresAt } = c;
    if (io.keys.findByName(name) !== null) {
      io.err(`A key named "${name}" exists already; names are never reused, because revisions name the key that made them.`);
      return 1;
    }
    const key = generateKey();
    io.keys.create({ name, scope, keyHash: hashKey(key), createdAt: now.toISOString(), expiresAt });
    io.out(key);
    io.err(`Created key "${name}" (scope ${scope}${expiresAt ? `, expires ${expiresAt}` : ''}). It is shown only this once: store it now.`);
    return 0;
  }

  if (c.command === 'list') {
    const rows = io.keys.list();
    if (rows.length === 0) io.err('No keys.');
    for (const k of rows) {
      const state =
        k.revokedAt !== null ? `revoked ${k.revokedAt}` : k.expiresAt !== null && k.expiresAt <= now.toISOString() ? `expired ${k.expiresAt}` : 'active';
      io.out(`${k.name}\t${k.scope}\tcreated ${k.createdAt}\texpires ${k.expiresAt ?? 'never'}\t${state}`);
    }
    return 0;
  }

  const key = io.keys.findByName(c.name);
  if (key === null) {
    io.err(`No key named ${quote(c.name)}.`);
    return 1;
  }
  if (!io.keys.revoke(c.name, now.toISOString())) {
    io.err(`The key "${c.name}" was already revoked on ${key.revokedAt}.`);
    return 1;
  }
  io.err(`Revoked key "${c.name}"; requests with it are refused from now on.`);
  return 0;
}

/** Reads the arguments and runs the command; returns the process exit code (0 done, 1 refused, 2 usage). */
export function runKeysCommand(argv: string[], io: KeysIo): number {
  const command = parseKeysArgs(argv, io);
  return typeof command === 'number' ? command : runKeys(command, io);
}
