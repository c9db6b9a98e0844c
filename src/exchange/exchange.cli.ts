// The operators' export and import commands (scripts/export.ts, scripts/import.ts), working on the database file
// through the same code as GET /v1/export and POST /v1/import. Kept apart from the scripts so tests run them. Each
// reads its arguments first (parseExportArgs, parseImportArgs; import also reads its file), so that --help, a bad
// argument or a missing file is answered before the scripts open, migrate or create a database.
import { isUtf8 } from 'node:buffer';
import { createWriteStream, existsSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CommandFailure, failureExit, fileFailure, quote, showUsage, UsageError, usageExit, wantsHelp, type Lines } from '../cli/command.js';
import { parseOptions } from '../cli/options.js';
import { printable } from '../cli/printable.js';
import { AppError } from '../http/problems.js';
import { parseSearchQuery } from '../search/search-query.js';
import type { Store } from '../store.js';
import { CLAIM_FILTER_NAMES, EXPORT_OPTION_NAMES, ExportQuery } from './exchange.schemas.js';
import { exportChunks, exportStart, pullStream } from './export.js';
import { importNdjson } from './import.js';

/** Words joined by ", " into lines of at most `width` characters, each after `indent`. */
function wrap(words: string[], indent: string, width = 110): string {
  const lines = [''];
  for (const word of words) {
    const last = lines.at(-1)!;
    if (last !== '' && indent.length + last.length + word.length + 2 > width) lines.push(word);
    else lines[lines.length - 1] = last === '' ? word : `${last}, ${word}`;
  }
  return lines.map((l) => `${indent}${l}`).join(',\n');
}

export const EXPORT_USAGE = `Usage: npm run export -- [--records claims|sources|entities|all] [--format ndjson|csv] [--out FILE [--force]] [--FILTER VALUE ...]
  --out FILE   write to FILE, which must not exist (--force overwrites it); without --out, to standard output
  filters, as GET /v1/claims has them (for --records claims or all):
${wrap(['--includeRetracted true|false', ...CLAIM_FILTER_NAMES.map((n) => `--${n}`)], '    ')}
DATABASE_PATH (default data/claims.db) must be an existing database.`;

export const IMPORT_USAGE = `Usage: npm run import -- FILE --reason "why" [--dry-run] [--author NAME] [--new-database]
  --new-database   DATABASE_PATH may be a new file, created for the import (kept only if it succeeds, not on --dry-run)
DATABASE_PATH (default data/claims.db) must otherwise be an existing database.`;

export interface CliIo extends Lines {
  store: Store;
  /** Where the export goes without --out. */
  stdout: Writable;
}

/**
 * An import's problem as it is printed: the summary, then each problem once, with its place. The API's detail is
 * the summary followed by the first problem, which the list shows as well; every echoed text is made printable,
 * since a problem quotes the file's own bytes.
 */
function report(err: unknown, io: Lines): number {
  if (!(err instanceof AppError)) return failureExit(io, err);
  const errors = err.errors ?? [];
  const first = errors[0]?.detail;
  const summary = first !== undefined && err.message.endsWith(` ${first}`) ? err.message.slice(0, -first.length - 1) : err.message;
  io.err(printable(`${err.code}: ${summary}`));
  // A body pointer starts with the line number (which the detail repeats, for the API's readers); the empty pointer
  // is the file as a whole (empty, cut short).
  for (const e of errors) {
    if (errors.length === 1 && summary.includes(e.detail)) continue;
    let where = `${e.in} ${e.pointer}`;
    let detail = e.detail;
    if (e.in === 'body' && e.pointer === '') where = 'file';
    else if (e.in === 'body') {
      const [, line, rest] = /^\/(\d+)(.*)$/.exec(e.pointer) ?? [];
      where = `line ${line}${rest ? ` ${rest}` : ''}`;
      detail = detail.replace(/^Line \d+: /, '');
    }
    io.err(printable(`  ${where}: ${detail}`));
  }
  return 1;
}

export interface ExportRequest {
  query: ExportQuery;
  /** The filters as given, for the export's header line. */
  filters: Record<string, string>;
  out: string | undefined;
  force: boolean;
}

/** The export to make, or the exit code when there is none: 0 after --help, 2 after a bad argument (both printed). */
export function parseExportArgs(argv: string[], io: Lines): ExportRequest | number {
  if (wantsHelp(argv)) return showUsage(io, EXPORT_USAGE);
  try {
    const { values, flags, positional } = parseOptions(argv, { values: ['out', ...EXPORT_OPTION_NAMES], flags: ['force'] });
    const { out, ...filters } = values;
    if (positional.length > 0) throw new UsageError(`Unexpected argument ${quote(positional[0]!)}; filters are --name value, e.g. --kind quote`);
    if (out === '') throw new UsageError('--out needs a file name');
    if (flags.has('force') && out === undefined) throw new UsageError('--force overwrites the --out file; there is none');
    const parsed = ExportQuery.safeParse(filters);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.') || '?'}: ${issue.message}`).join('\n'));
    return { query: parsed.data, filters, out, force: flags.has('force') };
  } catch (e) {
    return usageExit(io, EXPORT_USAGE, e);
  }
}

/**
 * The --out file is written beside itself (FILE.partial) and renamed into place once whole, as backup does: a failed
 * export leaves no half file, and with --force the old file stays until the new one is complete. Refused when FILE
 * exists, unless --force. A FILE.partial already there (a crashed run's, or a symlink someone planted to have the
 * export overwrite another file) is removed, and the new one is created exclusively ('wx' never follows a link).
 */
function openOut(path: string, force: boolean): { stream: Writable; partial: string } {
  if (!force && existsSync(path)) throw new CommandFailure(`export: ${quote(path)} exists; choose a new file name, or add --force to overwrite it`);
  const partial = `${path}.partial`;
  try {
    rmSync(partial, { force: true });
    return { stream: createWriteStream(partial, { fd: openSync(partial, 'wx') }), partial };
  } catch (error) {
    throw fileFailure('export: cannot write', path, error);
  }
}

/** Writes an export to --out or standard output; the time and change-feed cursor go to standard error. */
export async function exportRecords({ query, filters, out, force }: ExportRequest, io: CliIo): Promise<number> {
  let partial: string | undefined;
  try {
    const search = query.q === undefined ? undefined : parseSearchQuery(query.q, query.match);
    const start = exportStart(io.store.revisions);
    let target = io.stdout;
    if (out !== undefined) ({ stream: target, partial } = openOut(out, force));
    await pipeline(pullStream(exportChunks(io.store, query, start, { filters, search })), target, { end: out !== undefined });
    if (partial !== undefined) renameSync(partial, out!);
    io.err(`export: ${query.records} as ${query.format}${out ? ` to ${printable(out)}` : ''}; exportedAt ${start.exportedAt}; change-feed cursor ${start.cursor}`);
    return 0;
  } catch (err) {
    if (partial !== undefined) rmSync(partial, { force: true });
    return report(err, io);
  }
}

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const request = parseExportArgs(argv, io);
  return typeof request === 'number' ? request : exportRecords(request, io);
}

export interface ImportRequest {
  file: string;
  reason: string;
  author: string;
  dryRun: boolean;
  newDatabase: boolean;
}

/** The import to make, or the exit code when there is none: 0 after --help, 2 after a bad argument (both printed). */
export function parseImportArgs(argv: string[], io: Lines): ImportRequest | number {
  if (wantsHelp(argv)) return showUsage(io, IMPORT_USAGE);
  try {
    // Unknown options are refused: a mistyped --dry-run, taken as some other option, would have imported for real.
    const { values, flags, positional } = parseOptions(argv, { values: ['reason', 'author'], flags: ['dry-run', 'new-database'] });
    const [file, ...extra] = positional;
    if (file === undefined) throw new UsageError('Which file? The first argument is the NDJSON file to import');
    if (extra.length > 0) throw new UsageError(`Unexpected argument ${quote(extra[0]!)}; import takes one file`);
    const reason = values.reason?.trim();
    if (!reason) throw new UsageError('--reason is required: it is recorded on every revision the import makes');
    if (values.author !== undefined && values.author.trim() === '') throw new UsageError('--author needs a name');
    // Revisions name their author; without an API key, the operator's command says who.
    return { file, reason, author: values.author ?? 'import-command', dryRun: flags.has('dry-run'), newDatabase: flags.has('new-database') };
  } catch (e) {
    return usageExit(io, IMPORT_USAGE, e);
  }
}

/**
 * The file to import, read whole (the import is one transaction); a file that cannot be read, or that is not UTF-8
 * (its bytes would be read as U+FFFD and stored so), is a CommandFailure.
 */
export function readImportFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw fileFailure('import: cannot read', file, error);
  }
  if (!isUtf8(bytes)) throw new CommandFailure(`import: ${quote(file)} is not UTF-8 text; convert it to UTF-8 (an export always is)`);
  return bytes.toString('utf8');
}

/** Imports an NDJSON text in one transaction; prints what was written as JSON. */
export function importRecords(request: ImportRequest, body: string, io: CliIo): number {
  try {
    const result = importNdjson(io.store, body, {
      meta: { author: request.author, reason: request.reason },
      dryRun: request.dryRun,
      // Whoever holds the database file may retract, as an admin key may.
      mayRetract: true,
    });
    io.out(JSON.stringify(result));
    return 0;
  } catch (err) {
    return report(err, io);
  }
}

export function runImport(argv: string[], io: CliIo): number {
  const request = parseImportArgs(argv, io);
  if (typeof request === 'number') return request;
  try {
    return importRecords(request, readImportFile(request.file), io);
  } catch (err) {
    return failureExit(io, err);
  }
}
