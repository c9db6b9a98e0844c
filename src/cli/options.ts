// The export and import commands' arguments: `--name value`, `--name=value`, bare `--flag`s and positionals.
// Not node:util parseArgs, which refuses a value that starts with a dash (`--valueMin -5`, `--q "-word"`).
import { UsageError } from './command.js';

export interface OptionSpec {
  /** Options that take a value. */
  values: readonly string[];
  /** Options that take none. */
  flags: readonly string[];
}

export interface ParsedOptions {
  values: Record<string, string>;
  flags: Set<string>;
  positional: string[];
}

/** Throws a UsageError for an option the command does not have, a flag given a value, or a value left out. */
export function parseOptions(argv: string[], spec: OptionSpec): ParsedOptions {
  const parsed: ParsedOptions = { values: {}, flags: new Set(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // A lone "-" or a word is positional; "-x" is an option this syntax does not have (a mistyped --x).
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg;
    if (spec.flags.includes(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      parsed.flags.add(name);
    } else if (spec.values.includes(name)) {
      if (eq > 0) parsed.values[name] = arg.slice(eq + 1);
      else {
        const value = argv[++i];
        // `--out --force` is a value left out, not a file named "--force".
        if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value (--${name}=VALUE if it starts with --)`);
        parsed.values[name] = value;
      }
    } else throw new UsageError(`Unknown option ${arg.slice(0, eq > 0 ? eq : undefined)}`);
  }
  return parsed;
}
