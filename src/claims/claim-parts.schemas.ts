// The parts a claim is made of: its value (with its unit and comparator), qualifiers, caveats, the locator of a
// quote, and the assessment. claims.schemas.ts builds the write and read shapes of the whole claim from them.
import { z } from 'zod';
import { compareDecimals, Decimal } from '../domain/decimal.js';
import { optional, text } from '../domain/fields.js';
import { CaveatKind, Comparator, NON_MONEY_UNITS, QualifierKey, Verdict } from '../domain/vocabulary.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const Unit = z
  .string()
  .refine((u) => CURRENCIES.has(u) || (NON_MONEY_UNITS as readonly string[]).includes(u), {
    message: `Expected an ISO 4217 currency code (e.g. USD) or one of: ${NON_MONEY_UNITS.join(', ')}`,
  })
  .meta({
    id: 'Unit',
    description: `An ISO 4217 currency code for money (USD), otherwise one of: ${NON_MONEY_UNITS.join(', ')}.`,
    examples: ['USD', 'GPU-hours', 'rank'],
    // The form, for the OpenAPI document: three capitals stand for the ISO 4217 list the service checks against.
    pattern: `^([A-Z]{3}|${NON_MONEY_UNITS.join('|')})$`,
  });

export const Value = z
  .strictObject({
    comparator: Comparator,
    amount: optional(Decimal).describe('The stated amount; null only for `between`.'),
    lower: optional(Decimal).describe('Lower bound, for `between` only.'),
    upper: optional(Decimal).describe('Upper bound, for `between` only.'),
    unit: Unit,
    basis: optional(text(1000)).describe('How the figure was arrived at, e.g. "2,788K GPU-hours at an assumed $2 per GPU-hour".'),
  })
  .superRefine((v, ctx) => {
    if (v.comparator === 'between') {
      if (v.lower === null) ctx.addIssue({ code: 'custom', path: ['lower'], message: '`between` needs lower' });
      if (v.upper === null) ctx.addIssue({ code: 'custom', path: ['upper'], message: '`between` needs upper' });
      if (v.amount !== null) ctx.addIssue({ code: 'custom', path: ['amount'], message: '`between` takes lower and upper, not amount' });
      if (v.lower !== null && v.upper !== null && compareDecimals(v.lower, v.upper) > 0)
        ctx.addIssue({ code: 'custom', path: ['upper'], message: `upper (${v.upper}) is below lower (${v.lower})` });
    } else {
      if (v.amount === null) ctx.addIssue({ code: 'custom', path: ['amount'], message: `\`${v.comparator}\` needs amount` });
      if (v.lower !== null || v.upper !== null)
        ctx.addIssue({ code: 'custom', path: ['lower'], message: 'lower and upper are for `between` only' });
    }
  })
  .meta({
    id: 'Value',
    description: 'The quantity a claim asserts, exactly as precise as the claimant was: "well higher than $500M" is `gt` 500000000 USD.',
  });

export const Qualifier = z
  .strictObject({ key: QualifierKey, value: text(300) })
  .meta({ id: 'Qualifier', description: 'Context that makes a value mean something, e.g. country US for a ranking.' });

export const Locator = z
  .strictObject({
    section: optional(text(300)),
    page: optional(text(50)),
    table: optional(text(200)),
    note: optional(text(500)),
  })
  .meta({ id: 'Locator', description: 'Where in the source the quote stands.' });

export const Caveat = z.strictObject({ kind: CaveatKind, text: text(2000) }).meta({ id: 'Caveat' });

export const Assessment = z
  .strictObject({ verdict: Verdict, explanation: optional(text(2000)) })
  .meta({ id: 'Assessment', description: "The service's reading of the claim as it was worded where it was collected." });
