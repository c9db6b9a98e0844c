// Ids for records created without one: a readable slug of the name plus a random suffix, so two records with
// the same title never collide and an id, once given, is never handed out again.
import { randomBytes } from 'node:crypto';

export function newId(label: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const suffix = randomBytes(4).toString('hex');
  return base ? `${base}-${suffix}` : suffix;
}
