// The entity's shapes: organisations, models, products, apps, people and agencies that claims are about or made by.
import { z } from 'zod';
import { optional, text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { EntityType } from '../domain/vocabulary.js';
import { HttpUrl, Timestamp } from '../http/schemas.js';


const entityCore = {
  name: text(200),
  type: EntityType,
  aliases: z.array(text(200)).max(50).default([]),
  description: optional(text(1000)),
  wikidataId: optional(z.string().regex(/^Q[1-9]\d*$/, 'Expected a Wikidata item id such as Q95')),
  homepage: optional(HttpUrl),
};

export const EntityWrite = z
  .object({ id: Slug.optional(), ...entityCore })
  .strict()
  .meta({ id: 'EntityWrite', description: 'An entity as an editor writes it.' });
export type EntityWrite = z.output<typeof EntityWrite>;

export const Entity = z
  .object({ id: Slug, ...entityCore, revision: z.int().min(1), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'Entity', description: 'An organisation, model, product, app, person, agency or country.' });
export type Entity = z.output<typeof Entity>;
