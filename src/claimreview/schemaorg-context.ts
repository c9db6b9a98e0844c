// A subset of the schema.org JSON-LD context, for expanding our ClaimReview offline (the tests' document loader
// serves it in place of https://schema.org/). Origin: the official context at
// https://schema.org/docs/jsonldcontext.jsonld (schema.org, CC BY-SA 3.0). No maintained npm package carries it,
// and the network is not available to tests, so the terms ClaimReview uses are copied here with the official
// definitions: "@vocab" http://schema.org/ (the official context's own base, not https), Date-typed date
// properties, and @id-typed url and sameAs. Terms not listed still expand through @vocab exactly as they would with
// the full context; only the type coercions matter, and those are the official ones.
export const SCHEMA_ORG_CONTEXT_URLS = [
  'https://schema.org',
  'https://schema.org/',
  'http://schema.org',
  'http://schema.org/',
  'https://schema.org/docs/jsonldcontext.jsonld',
] as const;

export const SCHEMA_ORG_CONTEXT = {
  '@context': {
    type: '@type',
    id: '@id',
    '@vocab': 'http://schema.org/',
    schema: 'http://schema.org/',
    xsd: 'http://www.w3.org/2001/XMLSchema#',
    datePublished: { '@id': 'schema:datePublished', '@type': 'Date' },
    dateModified: { '@id': 'schema:dateModified', '@type': 'Date' },
    dateCreated: { '@id': 'schema:dateCreated', '@type': 'Date' },
    url: { '@id': 'schema:url', '@type': '@id' },
    sameAs: { '@id': 'schema:sameAs', '@type': '@id' },
  },
} as const;
