// Small field builders shared by every write shape, so that limits and null handling read the same everywhere.
import { z } from 'zod';

/** Trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** Optional on write, always present (possibly null) on read. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
