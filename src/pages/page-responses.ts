// How the pages' routes document what they send: text in the media types listed, with an ETag.
import { z } from 'zod';
import { ETAG_HEADER } from '../http/responses.js';

export const HTML = 'text/html; charset=utf-8';

/** A response of text in each of `types`. */
export const textContent = (description: string, types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: z.string() }])),
});

/** A page's response: text with an ETag, which If-None-Match revalidates (304). */
export const taggedText = (description: string, types: string[]) => ({ ...textContent(description, types), headers: ETAG_HEADER });
