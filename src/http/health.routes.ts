// Liveness and readiness: /healthz says the process answers, /readyz that the database does too.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Store } from '../store.js';
import { AppError } from './problems.js';
import { responses } from './responses.js';

const Status = z.object({ status: z.enum(['ok', 'ready']) }).meta({ id: 'HealthStatus' });

export const healthRoutes: FastifyPluginAsyncZod<{ store: Pick<Store, 'ready'> }> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness: the process answers',
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
        summary: 'Readiness: the database answers',
        tags: ['operations'],
        response: responses({ description: 'Ready to serve.', schema: Status }, 503),
      },
    },
    async () => {
      if (!store.ready()) throw new AppError('service-unavailable', 'The database does not answer');
      return { status: 'ready' as const };
    },
  );
};
