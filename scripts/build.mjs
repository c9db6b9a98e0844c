// The production build: src/server.ts and everything it imports bundled into one ESM file, dist/server.mjs.
// Why a bundle rather than tsc's file-per-module output: Node 20 spends most of a cold start resolving, reading
// and compiling a few hundred modules (fastify, zod, swagger, pino...). One file starts in about two thirds of
// the time (bench: ~520 ms -> ~340 ms spawn to first answer). Type checking stays with `npm run typecheck`.
//
// `node scripts/build.mjs --outfile dist/x/server.mjs` builds elsewhere under the project (tests that run the server
// in parallel each build their own copy, so that none reads a bundle another is rewriting).
import { build } from 'esbuild';

const at = process.argv.indexOf('--outfile');
const outfile = at > 0 ? process.argv[at + 1] : 'dist/server.mjs';

await build({
  entryPoints: ['src/server.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // better-sqlite3 loads a native addon; @fastify/swagger-ui serves the Swagger UI files from its own package
  // directory. Both stay in node_modules and are loaded from there.
  external: ['better-sqlite3', '@fastify/swagger-ui'],
  // Bundled CommonJS packages call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
