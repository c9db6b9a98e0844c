// The image's build stage, without Docker (none runs here): `npm run build` must succeed with only what the build
// stage copies in. The build reads more than the sources (the build id hashes the migrations and the lock file), and
// a file it reads that the stage does not copy breaks the image while every other test passes.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'claims-docker-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The build stage's COPY sources up to its build command (COPY <src...> <dest>, from the build context). */
function buildStageCopies(dockerfile: string): string[] {
  const stage = dockerfile.split(/^FROM /m)[1]!;
  const beforeBuild = stage.slice(0, stage.indexOf('npm run build'));
  return [...beforeBuild.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
}

describe('Dockerfile', () => {
  it("builds from what its build stage copies, and nothing else of the project's", () => {
    const copies = buildStageCopies(readFileSync('Dockerfile', 'utf8'));
    expect(copies).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src']));
    for (const path of copies) cpSync(path, join(dir, path), { recursive: true });
    // `npm ci` in the image; here the project's own install.
    symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'pipe' });
    expect(existsSync(join(dir, 'dist', 'server.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'cli', 'keys.mjs'))).toBe(true);
  }, 120_000);
});
