// A query string must be valid percent-encoded UTF-8, as a path must (the router refuses a malformed path with 400).
// The query parser passes a broken escape on as it is, undecoded, so `?q=%ZZ` searched for the text "%ZZ" and
// answered 200 with nothing found.
import { escapePointer } from './error-handler.js';
import { AppError } from './problems.js';

const HOW = 'every "%" must begin an escape of two hex digits, and the escapes must spell UTF-8 (a literal "%" is %25)';

function decodes(encoded: string): boolean {
  try {
    decodeURIComponent(encoded);
    return true;
  } catch {
    return false;
  }
}

/** A 400 naming the first parameter of `query` (the raw string after "?") that is not valid percent-encoding, if any. */
export function malformedQueryEncoding(query: string): AppError | undefined {
  if (!query.includes('%')) return undefined;
  for (const pair of query.split('&')) {
    if (!pair.includes('%') || decodes(pair)) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    if (!decodes(rawName)) return new AppError('invalid-request', `The query string is not valid percent-encoding: ${HOW}`);
    const name = decodeURIComponent(rawName.replaceAll('+', ' '));
    const shown = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);
    return new AppError('invalid-request', `The query parameter ${shown} is not valid percent-encoding: ${HOW}`, [
      { in: 'query', pointer: `/${escapePointer(name)}`, detail: `Not valid percent-encoding: ${HOW}` },
    ]);
  }
  return undefined;
}
