// What durability costs: acknowledged writes per second with synchronous=FULL (our setting: the WAL is fsynced
// at every commit, so a write survives power loss) against NORMAL (survives a process crash only).
import { rmSync } from 'node:fs';
import { openDatabase } from '../src/db/open.js';
import { generate, claimId } from './generate.js';
import { createStore } from '../src/store.js';

export interface WriteCost {
  synchronous: 'FULL' | 'NORMAL';
  writes: number;
  msPerWrite: number;
  writesPerSecond: number;
}

export function measureWriteCost(path: string, writes: number): WriteCost[] {
  return (['FULL', 'NORMAL'] as const).map((synchronous) => {
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    const db = openDatabase(path);
    try {
      // A small dataset to copy claims from, so each write is a realistic claim with its children.
      generate(db, { claims: writes });
      const store = createStore(db);
      const templates = Array.from({ length: writes }, (_, i) => store.claims.get(claimId(i))!);
      db.pragma(`synchronous = ${synchronous}`);
      const insert = db.transaction((i: number) => {
        const t = templates[i]!;
        store.claims.insert({
          ...t,
          id: `copy-${claimId(i)}`,
          relations: [],
          citations: t.citations.map((c) => ({ ...c, source: { id: c.source.id } })),
          subjects: t.subjects.map((s) => ({ id: s.id })),
          claimant: t.claimant && { id: t.claimant.id },
        });
      });
      const started = performance.now();
      for (let i = 0; i < writes; i++) insert(i);
      const ms = performance.now() - started;
      return { synchronous, writes, msPerWrite: ms / writes, writesPerSecond: (writes / ms) * 1000 };
    } finally {
      db.close();
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    }
  });
}
