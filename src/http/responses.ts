// Response maps for route schemas: the success body plus a documented problem+json body for each error status.
import type { z } from 'zod';
import { Problem } from './schemas.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameters or body (`invalid-request`, `invalid-cursor`).',
  404: 'No record with this id (`*-not-found`).',
  406: 'None of the accepted media types can be served.',
  409: 'A record with this id already exists.',
  413: 'The body is larger than the limit.',
  415: 'The body is not JSON.',
  422: 'The body refers to records that do not exist.',
  500: 'The service failed; the body carries the request id.',
  503: 'Not ready: the database does not answer.',
};

export function responses<S extends z.ZodType>(ok: { status?: number; description: string; schema: S }, ...errors: number[]) {
  const map: Record<number, unknown> = {
    [ok.status ?? 200]: { description: ok.description, content: { 'application/json': { schema: ok.schema } } },
  };
  for (const status of [...errors, 500]) {
    map[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/problem+json': { schema: Problem } },
    };
  }
  return map as { [K in number]: { description: string; content: { 'application/json': { schema: S } } } };
}
