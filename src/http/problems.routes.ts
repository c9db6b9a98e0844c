// Problem types are dereferenceable: the `type` of every error body (/problems/{code}) describes the code.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, PROBLEMS, type ProblemCode } from './problems.js';
import { responses } from './responses.js';

const ProblemType = z
  .object({ code: z.string(), status: z.int(), title: z.string(), description: z.string() })
  .meta({ id: 'ProblemType', description: 'What an error code means.' });

export const problemsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/problems/:code',
    {
      schema: {
        operationId: 'getProblemType',
        summary: 'Describe an error code',
        description: 'The `type` of every error body is this URL: its code, HTTP status, title and meaning.',
        tags: ['operations'],
        params: z.object({ code: z.string().max(100).describe('An error code, as in the `code` of an error body.').meta({ examples: ['claim-not-found'] }) }),
        response: responses({ description: 'The error code and its meaning.', schema: ProblemType }, 404),
      },
    },
    async (request) => {
      const code = request.params.code;
      if (!Object.hasOwn(PROBLEMS, code)) throw new AppError('not-found', `No error code "${code}"`);
      return { code, ...PROBLEMS[code as ProblemCode] };
    },
  );
};
