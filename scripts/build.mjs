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
//
// Code loaded only on demand (citation-js, behind a dynamic import) is split into chunks beside the server's file,
// so that start-up neither reads nor evaluates it.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { build } from 'esbuild';

// Code that start-up need not read: V8 reads and compiles the whole bundle before its first statement runs (about
// 60 ms a megabyte here), so what is bundled but never or rarely run still costs every start.
//
// yaml (259 KB) is required by @fastify/swagger and @fastify/swagger-ui at load, but only used to answer /docs/yaml
// (or to read a YAML spec, which we do not). It stays in node_modules, and those files require it at first use.
const YAML_REQUIRE = /const yaml = require\('yaml'\)/;
const LAZY_YAML = "const yaml = { parse: (...a) => require('yaml').parse(...a), stringify: (...a) => require('yaml').stringify(...a) }";
function lazyYaml(source, path) {
  if (!YAML_REQUIRE.test(source)) throw new Error(`build: ${path} no longer requires yaml as expected; review lazyYaml`);
  return source.replace(YAML_REQUIRE, LAZY_YAML);
}

// @fastify/swagger-ui (and @fastify/static under it) used to stay in node_modules, because it finds the Swagger UI
// files beside its own code through __dirname. Loading it from there, file by file, was the largest single part of
// start-up (about 70 ms). It is bundled now, and each of its two files that use __dirname gets the directory it has in
// node_modules, found at run time through the bundle's require; the files are still served from there.
const swaggerPatches = {
  name: 'swagger-patches',
  setup(b) {
    b.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]routes)\.js$/ }, async ({ path }) => {
      const sub = path.endsWith('index.js') ? '' : 'lib';
      const dir = `require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), ${JSON.stringify(sub)})`;
      let source = await readFile(path, 'utf8');
      if (sub === 'lib') source = lazyYaml(source, path);
      return { contents: `const __dirname = ${dir};\n${source}`, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]@fastify[\\/]swagger[\\/]lib[\\/].*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return YAML_REQUIRE.test(source) ? { contents: lazyYaml(source, path), loader: 'js' } : undefined;
    });
  },
};

// zod exports every locale's messages (`z.locales`, about 50 languages), so the bundle held them all: 366 KB of the
// 3.5 MB. The service answers in English only and never calls z.config() with another locale; zod itself imports
// en.js directly. So the locales' index becomes `en` alone.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, ({ path }) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

// The build's id (src/db/build-id.ts): a hash of every source file, migration and locked dependency, so that code or
// a schema that could compare the seed differently has another id (a seeded database is compared with the seed again,
// db/seed.ts).
async function buildId() {
  const files = [];
  for (const dir of ['src', 'migrations'])
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) files.push(join(e.parentPath, e.name));
  files.sort();
  const hash = createHash('sha256');
  for (const file of [...files, 'package-lock.json']) hash.update(file).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

const at = process.argv.indexOf('--outfile');
const outfile = at > 0 ? process.argv[at + 1] : 'dist/server.mjs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // better-sqlite3 loads a native addon: it stays in node_modules and is loaded from there; yaml is loaded at first
  // use (swaggerPatches).
  external: ['better-sqlite3', 'yaml'],
  plugins: [swaggerPatches, zodEnglishOnly],
  // Bundled CommonJS packages call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  define: { __CLAIMS_API_BUILD__: JSON.stringify(await buildId()) },
};

await build({
  ...common,
  // The import's, the citations' and the search columns' worker threads (import.runner.ts, citation.ts,
  // doc-columns.runner.ts) are found beside the server, whatever its name.
  entryPoints: {
    [basename(outfile, extname(outfile))]: 'src/server.ts',
    'import-worker': 'src/exchange/import.worker.ts',
    'citation-worker': 'src/citation/citation.worker.ts',
    'columns-worker': 'src/search/doc-columns.worker.ts',
  },
  outdir: dirname(outfile),
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
if (at < 0) {
  const commands = ['keys', 'backup', 'export', 'import', 'seed'];
  await build({ ...common, entryPoints: commands.map((c) => `scripts/${c}.ts`), outdir: 'dist/cli', outExtension: { '.js': '.mjs' } });
}
