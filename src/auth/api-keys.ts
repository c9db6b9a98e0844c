// API keys: 32 random bytes, base64url, behind a recognisable prefix so that a leaked key is easy to spot (and
// to scan for). Only the SHA-256 of a key is ever stored; the key itself is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'cak_';
/** The shape of every key this service issues; anything else is refused before the database is asked. */
export const KEY_FORMAT = /^cak_[A-Za-z0-9_-]{43}$/;
/** Key names: short, lowercase, never reused (revisions name the key that made each change). */
export const KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/**
 * The author of the seed loader's revisions, which no key may be named: seed corrections update only records that
 * no one but this author changed (db/seed.ts), so a key of that name could have its edits overwritten.
 */
export const SEED_AUTHOR = 'seed';

export function generateKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a key: SHA-256, lowercase hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
