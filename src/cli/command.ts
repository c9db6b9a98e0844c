// What the operator commands share: how they answer --help (usage, exit 0), a bad argument (the error and the usage,
// exit 2) and a failure the operator can act on (one line naming what and where, exit 1, no stack trace).
import { ConfigError } from '../config.js';
import { printable } from './printable.js';

export interface Lines {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The process's own standard output and error, a line at a time: what the scripts give the commands. */
export const STDIO: Lines = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/** A bad command line: exit 2, with the usage. */
export class UsageError extends Error {}

/** The operation could not be done (a missing file, a database that is not there): exit 1, its message alone. */
export class CommandFailure extends Error {}

export const wantsHelp = (argv: string[]): boolean => argv.some((a) => a === '--help' || a === '-h');

/** --help: the usage on standard output, exit 0. */
export function showUsage(io: Lines, usage: string): number {
  io.out(usage);
  return 0;
}

/** A UsageError (or node:util parseArgs' own): the error, then the usage, on standard error, exit 2. Others rethrown. */
export function usageExit(io: Lines, usage: string, error: unknown): number {
  const fromParseArgs = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (!(error instanceof UsageError) && !fromParseArgs) throw error;
  // Line by line: a message may list several problems; within a line, whatever the operator typed is escaped.
  io.err(`${error.message.split('\n').map(printable).join('\n')}\n\n${usage}`);
  return 2;
}

/** A CommandFailure as its one line, exit 1; a bad environment as the service reports it, exit 2. Bugs keep their stack. */
export function failureExit(io: Lines, error: unknown): number {
  if (error instanceof ConfigError) {
    io.err(error.message);
    return 2;
  }
  // What the database answers an operator can act on (another process holding the lock past the wait, a read-only
  // file, a full disk), as SQLite words it: one line, not a stack. Other SQLite errors are bugs, and keep theirs.
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && OPERATIONAL_SQLITE.test(code)) {
    io.err(`database (DATABASE_PATH): ${error.message} (${code})`);
    return 1;
  }
  if (!(error instanceof CommandFailure)) throw error;
  io.err(error.message);
  return 1;
}

const OPERATIONAL_SQLITE = /^SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|FULL|IOERR|PERM|NOTADB|CORRUPT)/;

/**
 * A script's whole run as its exit code: the arguments parsed from the command line (--help or a bad argument
 * printed, and their code returned), then the rest, whose failures are one line.
 */
export async function runScript<T>(
  parse: (argv: string[], io: Lines) => T | number,
  run: (request: Exclude<T, number>) => number | Promise<number>,
): Promise<number> {
  const request = parse(process.argv.slice(2), STDIO);
  return typeof request === 'number' ? request : runOrFail(STDIO, () => run(request as Exclude<T, number>));
}

/** Runs the part of a command past its arguments (open the database, do the work) and returns its exit code. */
export async function runOrFail(io: Lines, body: () => number | Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    return failureExit(io, error);
  }
}

/**
 * A file system error as one line: what was being done, the path, the error code and its words, e.g.
 * `import: cannot read dump.ndjson: ENOENT (no such file or directory)`. Anything but a system error is rethrown.
 */
export function fileFailure(doing: string, path: string, error: unknown): CommandFailure {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string') throw error;
  // Node's message is "ENOENT: no such file or directory, open '<path>'": keep the words, the path is given already.
  const words = new RegExp(`^${code}: ([^,]+)`).exec(error.message)?.[1];
  return new CommandFailure(`${doing} ${quote(path)}: ${code}${words ? ` (${words})` : ''}`);
}

/** A path or name in a message: quoted, so that spaces and an empty string show, and printable. */
export const quote = (text: string): string => `"${printable(text)}"`;
