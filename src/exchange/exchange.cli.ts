// The operators' export and import commands (scripts/export.ts, scripts/import.ts), working on the database file
// through the same code as GET /v1/export and POST /v1/import. Kept apart from the scripts so tests run them.
//   npm run export -- [--records claims|sources|entities|all] [--format ndjson|csv] [--out FILE] [--kind quote ...]
//   npm run import -- FILE --reason "..." [--dry-run] [--author NAME]
import { createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/problems.js';
import { parseSearchQuery } from '../search/search-query.js';
import type { Store } from '../store.js';
import { ExportQuery } from './exchange.schemas.js';
import { exportChunks, exportStart, pullStream } from './export.js';
import { importNdjson } from './import.js';

export interface CliIo {
  store: Store;
  /** Where the export goes without --out. */
  stdout: Writable;
  err: (line: string) => void;
  out: (line: string) => void;
}

/** `--name value` pairs and bare `--flag`s; other words are positional. */
function parseArgs(argv: string[], flags: string[]) {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (flags.includes(arg.slice(2))) options[arg.slice(2)] = 'true';
    else {
      const eq = arg.indexOf('=');
      if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
      else options[arg.slice(2)] = argv[++i] ?? '';
    }
  }
  return { options, positional };
}

function report(err: unknown, io: CliIo): number {
  if (!(err instanceof AppError)) throw err;
  io.err(`${err.code}: ${err.message}`);
  // A body pointer starts with the line number; the empty pointer is the file as a whole (empty, cut short).
  for (const e of err.errors ?? []) io.err(`  ${e.in !== 'body' ? `${e.in} ${e.pointer}` : e.pointer === '' ? 'file' : `line ${e.pointer}`}: ${e.detail}`);
  return 1;
}

/** Writes an export to --out or standard output; the time and change-feed cursor go to standard error. */
export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const { options, positional } = parseArgs(argv, []);
  const { out, ...params } = options;
  if (positional.length > 0) {
    io.err(`Unexpected argument "${positional[0]}"; filters are --name value, e.g. --kind quote`);
    return 2;
  }
  const parsed = ExportQuery.safeParse(params);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) io.err(`--${issue.path.join('.') || '?'}: ${issue.message}`);
    return 2;
  }
  try {
    const query = parsed.data;
    const search = query.q === undefined ? undefined : parseSearchQuery(query.q);
    const start = exportStart(io.store.revisions);
    const target = out === undefined ? io.stdout : createWriteStream(out);
    await pipeline(pullStream(exportChunks(io.store, query, start, { filters: params, search })), target, { end: out !== undefined });
    io.err(`export: ${query.records} as ${query.format}${out ? ` to ${out}` : ''}; exportedAt ${start.exportedAt}; change-feed cursor ${start.cursor}`);
    return 0;
  } catch (err) {
    return report(err, io);
  }
}

/** Imports an NDJSON file in one transaction; prints what was written as JSON. */
export function runImport(argv: string[], io: CliIo): number {
  const { options, positional } = parseArgs(argv, ['dry-run']);
  const file = positional[0];
  const reason = options.reason?.trim();
  if (file === undefined || positional.length > 1 || !reason) {
    io.err('usage: npm run import -- FILE --reason "why" [--dry-run] [--author NAME]');
    return 2;
  }
  try {
    const result = importNdjson(io.store, readFileSync(file, 'utf8'), {
      // Revisions name their author; without an API key, the operator's command says who.
      meta: { author: options.author ?? 'import-command', reason },
      dryRun: options['dry-run'] === 'true',
      // Whoever holds the database file may retract, as an admin key may.
      mayRetract: true,
    });
    io.out(JSON.stringify(result));
    return 0;
  } catch (err) {
    return report(err, io);
  }
}
