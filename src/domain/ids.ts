// Record ids: URL-safe slugs, readable for curated records ("deepseek-v3-training-cost"), random for the rest.
import { z } from 'zod';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(SLUG, 'Expected lowercase letters, digits and single hyphens, e.g. "deepseek-v3-training-cost"')
  .meta({ id: 'Slug', description: 'A stable, URL-safe record id. Ids are never reused.', examples: ['deepseek-v3-training-cost'] });
