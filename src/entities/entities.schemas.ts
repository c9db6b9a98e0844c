// The entity's shapes: organisations, models, products, apps, people and agencies that claims are about or made by.
import { z } from 'zod';
import { optional, text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { EntityType } from '../domain/vocabulary.js';
import { EditReason, HttpUrl, RecordLinks, Timestamp } from '../http/schemas.js';


const entityCore = {
  name: text(200),
  type: EntityType,
  aliases: z
    .array(text(200))
    .max(50)
    // Search folds case, so "Acme" and "ACME" are one alias to it: a repeat is a slip, as a subject listed twice is.
    // So are two spellings of one text in Unicode ("Z\u00fcrich" and "Zu\u0308rich", canonically equivalent), which
    // look the same to every reader: compared in NFC, lower-cased (then NFC again, as lower-casing can decompose).
    // Only the comparison is normalised; each alias is stored as sent, like all text.
    .superRefine((aliases, ctx) => {
      const seen = new Set<string>();
      aliases.forEach((alias, i) => {
        const key = alias.normalize('NFC').toLowerCase().normalize('NFC');
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `"${alias}" is listed twice` });
        seen.add(key);
      });
    })
    .default([]),
  description: optional(text(1000)),
  wikidataId: optional(z.string().regex(/^Q[1-9]\d*$/, 'Expected a Wikidata item id such as Q95')),
  homepage: optional(HttpUrl),
};

export const EntityWrite = z
  .object({ id: Slug.optional(), ...entityCore })
  .strict()
  .meta({ id: 'EntityWrite', description: 'An entity as an editor writes it.' });
export type EntityWrite = z.output<typeof EntityWrite>;

const serverOwned = { revision: z.int().min(1).describe('Increases by one with every change.'), createdAt: Timestamp, updatedAt: Timestamp };

export const EntityCreate = z
  .object({ id: Slug.optional().describe('Readable id; generated when absent. An existing id is refused (409).'), ...entityCore, reason: EditReason })
  .strict()
  .meta({ id: 'EntityCreate', description: 'A new entity: the read shape less the server-owned fields, plus the edit summary.' });

export const EntityReplace = z
  .object({ ...entityCore, reason: EditReason })
  .strict()
  .meta({ id: 'EntityReplace', description: 'The whole entity, replacing the current version (PUT); an omitted optional field is cleared.' });

/** The record as stored, and as each revision snapshot records it. */
export const EntityRecord = z
  .object({ id: Slug, ...entityCore, ...serverOwned })
  .meta({ id: 'EntityRevision', description: 'An entity exactly as it was recorded at one revision.' });
export type Entity = z.output<typeof EntityRecord>;

/** What GET serves: the record plus its links. */
export const EntityView = EntityRecord.extend({ links: RecordLinks }).meta({ id: 'Entity', description: 'An organisation, model, product, app, person, agency or country.' });
export type EntityView = z.output<typeof EntityView>;
