// The in-memory search columns: exact values by doc id, following writes, widening codes as values multiply.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { migrate } from '../src/db/migrate.js';
import { createDocColumns } from '../src/search/doc-columns.js';

function database() {
  const db = openDatabase(':memory:');
  migrate(db);
  db.pragma('foreign_keys = OFF'); // claimants without entity rows: only the columns are under test
  const insert = db.prepare(
    `INSERT INTO claims (id, statement, kind, verdict, claimant_id, claimed_on, claimed_first_day, claimed_last_day, revision,
       created_at, updated_at, doc_id)
     VALUES (@id, 'A statement.', @kind, 'unassessed', @claimant, @month, @month || '-01', @month || '-31', 1,
       '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', @doc)`,
  );
  return {
    db,
    insert: { run: (id: string, kind: string, claimant: string | null, month: string | null, doc: number) => insert.run({ id, kind, claimant, month, doc }) },
  };
}

describe('doc columns', () => {
  it("hold each claim's values by doc id and follow inserts and updates", () => {
    const { db, insert } = database();
    insert.run('a', 'quote', 'x', '2025-01', 1);
    const columns = createDocColumns(db);
    expect(columns.sync()).toBe(true);
    const value = (column: Parameters<typeof columns.codes>[0], doc: number) => columns.valueOf(column, columns.codes(column)[doc]!);
    expect([value('kind', 1), value('claimant', 1), value('year', 1), columns.codes('unit')[1]]).toEqual(['quote', 'x', '2025', 0]);

    insert.run('b', 'forecast', null, null, 2);
    insert.run('c', 'quote', null, '0999-05', 3); // the year as the SQL facet writes it: four digits
    db.prepare("UPDATE claims SET kind = 'licence' WHERE id = 'a'").run();
    columns.sync();
    expect([value('kind', 1), value('kind', 2), columns.codes('claimant')[2], columns.codes('year')[2]]).toEqual(['licence', 'forecast', 0, 0]);
    expect(value('year', 3)).toBe('0999');
    expect(columns.codeOf('kind', 'quote')).toBeGreaterThan(0); // known
    expect(columns.codeOf('kind', 'never-seen')).toBe(-1);
  });

  it('leave a rolled-back write out, and are not used inside a transaction', () => {
    const { db, insert } = database();
    insert.run('a', 'quote', null, null, 1);
    const columns = createDocColumns(db);
    columns.sync();
    const attempt = db.transaction(() => {
      db.prepare("UPDATE claims SET kind = 'forecast' WHERE id = 'a'").run();
      expect(columns.sync()).toBe(false);
      throw new Error('roll back');
    });
    expect(attempt).toThrow('roll back');
    insert.run('b', 'licence', null, null, 2); // takes the number the rolled-back update had
    columns.sync();
    expect(columns.valueOf('kind', columns.codes('kind')[1]!)).toBe('quote');
    expect(columns.valueOf('kind', columns.codes('kind')[2]!)).toBe('licence');
  });

  it('load a large database in the background, then catch up with the writes made meanwhile', async () => {
    const { db, insert } = database();
    db.transaction(() => {
      for (let i = 1; i <= 12_000; i++) insert.run(`c${i}`, 'quote', null, null, i);
    })();
    const columns = createDocColumns(db, { loadAtOnce: 100, sliceMs: 0 }); // one batch of 1,000 per turn
    expect(columns.sync(), 'not loaded yet').toBe(false);
    let ticks = 0;
    while (!columns.sync()) {
      await new Promise((resolve) => setImmediate(resolve));
      if (++ticks === 1) {
        db.prepare("UPDATE claims SET kind = 'licence' WHERE id = 'c2'").run(); // in the batch already read
        db.prepare("UPDATE claims SET kind = 'forecast' WHERE id = 'c11000'").run(); // in a batch not read yet
      }
    }
    expect(ticks, 'in several batches').toBeGreaterThan(1);
    db.prepare("UPDATE claims SET kind = 'quantity' WHERE id = 'c3'").run();
    columns.sync();
    const kind = (doc: number) => columns.valueOf('kind', columns.codes('kind')[doc]!);
    expect([kind(1), kind(2), kind(3), kind(11_000), kind(12_000)]).toEqual(['quote', 'licence', 'quantity', 'forecast', 'quote']);
  });

  it("hold each claim's subjects, however many, and whether it is retracted, following edits", () => {
    const { db, insert } = database();
    const subjects = db.prepare('INSERT INTO claim_subjects (claim_id, entity_id, position) VALUES (?, ?, ?)');
    const about = (id: string, entities: string[]) => {
      db.prepare('DELETE FROM claim_subjects WHERE claim_id = ?').run(id);
      entities.forEach((e, i) => subjects.run(id, e, i));
    };
    insert.run('a', 'quote', null, null, 1);
    about('a', ['e1', 'e2', 'e3', 'e4', 'e5']);
    insert.run('b', 'quote', null, null, 2);
    const columns = createDocColumns(db);
    columns.sync();
    const of = (doc: number) => {
      const { slots, count, more } = columns.multi('subject');
      const codes = [...slots.map((s: Uint8Array | Uint16Array | Uint32Array) => s[doc]!).slice(0, Math.min(3, count[doc]!)), ...(more.get(doc) ?? [])];
      return codes.map((c) => columns.valueOf('subject', c));
    };
    expect([of(1), of(2)]).toEqual([['e1', 'e2', 'e3', 'e4', 'e5'], []]);

    // An edit rewrites the subjects and moves the revision; a retraction moves it too.
    db.transaction(() => {
      about('a', ['e6']);
      db.prepare("UPDATE claims SET revision = revision + 1 WHERE id = 'a'").run();
    })();
    db.prepare("UPDATE claims SET retracted_at = '2025-02-01T00:00:00Z', retraction_reason = 'Wrong', revision = revision + 1 WHERE id = 'b'").run();
    columns.sync();
    expect([of(1), columns.multi('subject').more.has(1)]).toEqual([['e6'], false]);
    expect([...columns.retracted().subarray(1, 3)]).toEqual([0, 1]);
  });

  it('hold dates, value ranges and citation roles, following edits', () => {
    const { db, insert } = database();
    insert.run('a', 'quote', null, '2025-01', 1); // claimed in January 2025
    insert.run('b', 'quote', null, null, 2);
    db.prepare("UPDATE claims SET fact_start = '2024', fact_end = '2024', fact_first_day = '2024-01-01', fact_last_day = '2024-12-31', value_low = 5, value_high = 9e999 WHERE id = 'a'").run();
    const cite = db.prepare("INSERT INTO claim_citations (claim_id, position, source_id, role, stance) VALUES (?, ?, ?, ?, 'states')");
    cite.run('a', 0, 's1', 'primary');
    cite.run('a', 1, 's2', 'primary');
    const columns = createDocColumns(db);
    columns.sync();
    const has = (column: 'citationRole', doc: number, value: string) => columns.multi(column).has(doc, columns.codeOf(column, value));
    const r = columns.ranges();
    expect([r.claimedFirst[1], r.claimedLast[1], r.factFirst[1], r.factLast[1], r.valueLow[1], r.valueHigh[1]]).toEqual([20250101, 20250131, 20240101, 20241231, 5, Infinity]);
    // No date or value: outside every bound, as NULL is in SQL.
    expect(r.factFirst[2]! > 99_991_231 && r.factLast[2] === 0 && Number.isNaN(r.valueLow[2])).toBe(true);
    expect([has('citationRole', 1, 'primary'), has('citationRole', 1, 'secondary'), columns.multi('citationRole').count[1]]).toEqual([true, false, 1]);

    // An edit: the second citation becomes secondary, and the revision moves.
    db.transaction(() => {
      db.prepare("UPDATE claim_citations SET role = 'secondary' WHERE claim_id = 'a' AND position = 1").run();
      db.prepare("UPDATE claims SET value_high = 7, revision = revision + 1 WHERE id = 'a'").run();
    })();
    columns.sync();
    expect([has('citationRole', 1, 'secondary'), has('citationRole', 1, 'primary'), columns.ranges().valueHigh[1]]).toEqual([true, true, 7]);
  });

  it('widen the codes past 255 values without losing any', () => {
    const { db, insert } = database();
    db.transaction(() => {
      for (let i = 1; i <= 600; i++) insert.run(`c${i}`, 'quote', `entity-${i}`, null, i);
    })();
    const columns = createDocColumns(db);
    columns.sync();
    expect(columns.codes('claimant')).toBeInstanceOf(Uint16Array);
    expect(columns.codes('kind')).toBeInstanceOf(Uint8Array);
    for (const doc of [1, 255, 256, 257, 600]) expect(columns.valueOf('claimant', columns.codes('claimant')[doc]!)).toBe(`entity-${doc}`);
  });

  it('widen subject codes past 255 entities without losing any', () => {
    const { db, insert } = database();
    const subject = db.prepare('INSERT INTO claim_subjects (claim_id, entity_id, position) VALUES (?, ?, 0)');
    db.transaction(() => {
      for (let i = 1; i <= 600; i++) {
        insert.run(`c${i}`, 'quote', null, null, i);
        subject.run(`c${i}`, `entity-${i}`);
      }
    })();
    const columns = createDocColumns(db);
    columns.sync();
    const [first] = columns.multi('subject').slots;
    expect(first).toBeInstanceOf(Uint16Array);
    for (const doc of [1, 255, 256, 257, 600]) expect(columns.valueOf('subject', first![doc]!)).toBe(`entity-${doc}`);
  });
});
