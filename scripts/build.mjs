// The production build: src/server.ts and everything it imports bundled into one ESM file, dist/server.mjs.
// Why a bundle rather than tsc's file-per-module output: Node 20 spends most of a cold start resolving, reading
// and compiling a few hundred modules (fastify, zod, swagger, pino...). One file starts in about two thirds of
// the time (bench: ~520 ms -> ~340 ms spawn to first answer). Type checking stays with `npm run typecheck`.
//
// The default build also bundles the operator commands (keys, backup, export, import, seed) into dist/cli/, so that
// the production image, which has no tsx and no sources, can run them: `node dist/cli/keys.mjs list`.
//
// `node scripts/build.mjs --outfile dist/x/server.mjs` builds the server alone elsewhere under the project (tests
// that run the server in parallel each build their own copy, so that none reads a bundle another is rewriting).
import { build } from 'esbuild';

const at = process.argv.indexOf('--outfile');
const outfile = at > 0 ? process.argv[at + 1] : 'dist/server.mjs';

const common = {
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
};

await build({ ...common, entryPoints: ['src/server.ts'], outfile });
if (at < 0) {
  const commands = ['keys', 'backup', 'export', 'import', 'seed'];
  await build({ ...common, entryPoints: commands.map((c) => `scripts/${c}.ts`), outdir: 'dist/cli', outExtension: { '.js': '.mjs' } });
}
