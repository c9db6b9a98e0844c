// Liveness and readiness: /healthz says the process answers, /readyz that the database does too and that the
// service has read what its searches and facets keep in memory (seconds after start at a million claims; until then
// facets without a search are refused). Both are exempt from rate limits and load shedding (http/protection.ts), so
// they stay cheap and answer under load.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Store } from '../store.js';
import { AppError } from './problems.js';
import { responses } from './responses.js';

const Status = z.object({ status: z.enum(['ok', 'ready']) }).meta({ id: 'HealthStatus' });

export const healthRoutes: FastifyPluginAsyncZod<{ store: Pick<Store, 'ready' | 'claims'> }> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness: the process answers',
        description: 'Answers 200 while the process serves requests; exempt from rate limits and load shedding. 503 while shutting down.',
        tags: ['operations'],
        response: responses({ description: 'Alive.', schema: Status }),
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness: the database answers and the search columns are read',
        description:
          'Answers 200 when the database answers a query and the service has read the values its searches and facets ' +
          'keep in memory (seconds after a start at a million claims), else 503; exempt from rate limits and load shedding.',
        tags: ['operations'],
        response: responses({ description: 'Ready to serve.', schema: Status }, 503),
      },
    },
    async (_request, reply) => {
      if (!store.ready()) {
        reply.header('retry-after', '5');
        throw new AppError('service-unavailable', 'The database does not answer');
      }
      if (!store.claims.searchReady()) {
        reply.header('retry-after', '5');
        throw new AppError('service-unavailable', 'The service is still reading its search columns');
      }
      return { status: 'ready' as const };
    },
  );
};
