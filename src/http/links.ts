// The URLs of records and their revisions, built in one place so that bodies, Location headers and the change
// feed always agree. Relative to the API's root, like the page links.
import type { ResourceType } from '../domain/vocabulary.js';

export const COLLECTIONS = { claim: 'claims', source: 'sources', entity: 'entities' } as const satisfies Record<ResourceType, string>;

export const collectionUrl = (type: ResourceType) => `/v1/${COLLECTIONS[type]}`;
export const recordUrl = (type: ResourceType, id: string) => `${collectionUrl(type)}/${id}`;
export const revisionUrl = (type: ResourceType, id: string, revision: number) => `${recordUrl(type, id)}/revisions/${revision}`;

export function recordLinks(type: ResourceType, id: string, revision: number) {
  const self = recordUrl(type, id);
  return { self, revision: `${self}/revisions/${revision}`, revisions: `${self}/revisions` };
}
