// The document shell every page shares: language, viewport, inline stylesheet (no external assets, so a page is
// one request and works offline once saved), a skip link, the site header and footer.
import { html, type SafeHtml, unsafeRaw } from './html.js';

// Colours are chosen for WCAG AA contrast on white: body #1b1b1b (17:1), links #0b57d0 (6.1:1), muted #4a4a4a
// (8.9:1); badges put dark text on light tints. System fonts; a single column that fits a phone, where long URLs
// and ids may break anywhere rather than widen the page.
const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;overflow-wrap:anywhere;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#fff}
a{color:#0b57d0}a:visited{color:#6b2fb3}
a:focus-visible,textarea:focus-visible{outline:3px solid #f0a400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:1}.skip:focus{left:.5rem}
header.site,footer.site,main{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;justify-content:space-between;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid #d0d0d0}
header.site .name{font-weight:700;text-decoration:none;color:#1b1b1b}
header.site nav a{margin-left:1rem}
footer.site{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid #d0d0d0;color:#4a4a4a;font-size:.9rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:1px solid #e2e2e2}
h3{font-size:1rem;margin:0 0 .25rem}
.kind,.muted{color:#4a4a4a}.kind{margin:1rem 0 0;font-size:.9rem;text-transform:uppercase;letter-spacing:.04em}
.value{font-size:1.25rem;margin:.25rem 0}.value strong{font-size:1.4rem}
dl{margin:.5rem 0;display:grid;grid-template-columns:minmax(7rem,max-content) minmax(0,1fr);gap:.25rem 1rem}
dt{font-weight:600}dd{margin:0;min-width:0}
@media (max-width:30rem){h1{font-size:1.3rem}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
blockquote{margin:.5rem 0;padding:.25rem 0 .25rem 1rem;border-left:4px solid #8a8a8a;color:#2b2b2b}
blockquote p{margin:.25rem 0}
.badge{display:inline-block;padding:.15rem .6rem;border-radius:.3rem;font-weight:700;border:1px solid currentColor}
.v-accurate{background:#e6f4ea;color:#0d5223}.v-accurate_with_caveats{background:#eef6e0;color:#35530a}
.v-misleading{background:#fff4e0;color:#7a3e00}.v-unsupported{background:#f1f1f1;color:#3b3b3b}
.v-false{background:#fde7e9;color:#8c0014}.v-unassessed{background:#f1f1f1;color:#3b3b3b}
.retraction{border:3px solid #b3261e;background:#fdecea;color:#410e0b;padding:.75rem 1rem;margin:1rem 0;border-radius:.3rem}
.retraction h2{border:0;margin:0 0 .25rem;padding:0;color:#8c1d18}
ol.list,ul.list{padding-left:1.25rem}ol.list>li,ul.list>li{margin-bottom:1rem}
.cite textarea{width:100%;font:.9rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:.5rem;border:1px solid #8a8a8a;border-radius:.3rem;color:#1b1b1b;background:#fafafa;resize:vertical}
.cite label{display:block;font-weight:600;margin-top:.75rem}
.claims li{margin-bottom:.75rem}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 1rem}
form.search input{flex:1 1 16rem;font:inherit;padding:.4rem .5rem;border:1px solid #8a8a8a;border-radius:.3rem}
form.search button{font:inherit;padding:.4rem 1rem;border:1px solid #0b57d0;border-radius:.3rem;background:#0b57d0;color:#fff}
.snippet{margin:.25rem 0}mark{background:#fff1a8;color:inherit}
.notice{border-left:4px solid #0b57d0;background:#eef3fd;padding:.5rem 1rem}
.refine ul{list-style:none;padding:0;margin:0 0 1rem;font-size:.95rem}.refine li{margin:.25rem 0}
`;

export interface PageShell {
  title: string;
  description?: string;
  canonical?: string;
  head?: SafeHtml;
  body: SafeHtml;
  serviceName: string;
}

export function layout({ title, description, canonical, head, body, serviceName }: PageShell): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${description ? html`<meta name="description" content="${description}">` : ''}
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
<style>${unsafeRaw(CSS)}</style>
${head ?? ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a class="name" href="/">${serviceName}</a><nav aria-label="Site"><a href="/">Claims</a><a href="/search">Search</a><a href="/docs">API docs</a><a href="/openapi.json">OpenAPI</a></nav></header>
<main id="main">
${body}
</main>
<footer class="site"><p>${serviceName}: structured, sourced claims for fact-checkers. Every page is also JSON: send <code>Accept: application/json</code>, or read the <a href="/docs">API docs</a>.</p></footer>
</body>
</html>`}\n`;
}
