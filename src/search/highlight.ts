// Snippets come from FTS5 with the matched words between \u0002 and \u0003. The text around them is the claim's own
// text, so it is HTML-escaped first and the markers become <mark> afterwards: the result is safe to put in a page.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function highlight(snippet: string): string {
  return snippet
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll('\u0002', '<mark>')
    .replaceAll('\u0003', '</mark>');
}
