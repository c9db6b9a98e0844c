// A tiny tagged-template HTML builder that escapes every interpolated value unless it is already HTML built
// here. Why not a template engine or library: the pages are a few hundred lines of static structure, the only
// job is context-correct escaping, and a 40-line helper we can read end to end beats a dependency whose
// auto-escaping rules we would have to trust (escape-html-template-tag does the same but is barely maintained).
// Escaping covers text and double-quoted attribute values alike: & < > " ' are all replaced.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** HTML that is already safe: built by `html` or passed through `unsafeRaw` on purpose. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${text}</p>\`` escapes `text`; nested `html` results and arrays of them are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** For markup that is trusted by construction (the inline stylesheet, the escaped JSON-LD). */
export const unsafeRaw = (value: string): SafeHtml => new SafeHtml(value);

/** The URL if it is absolute http(s), else null: only such URLs become links (no javascript:, data:, ...). */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * JSON for a <script type="application/ld+json"> block. `<` becomes \u003c so no "</script>" or "<!--" in the
 * data can end or alter the script element; `>`, `&` and the JS line separators are escaped too for good measure.
 * The result is still the same JSON value for any JSON parser.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeHtml(json);
}
