// The composition root: buildApp wires repositories to routes and registers every plugin, in order. It does not
// listen, read the environment or open the database; server.ts and the tests do that and pass the store in.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { claimsRoutes } from './claims/claims.routes.js';
import { entitiesRoutes } from './entities/entities.routes.js';
import { registerErrorHandling } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { registerOpenApi } from './http/openapi.js';
import { problemsRoutes } from './http/problems.routes.js';
import { serializerCompiler } from './http/serializer.js';
import { sourcesRoutes } from './sources/sources.routes.js';
import type { Store } from './store.js';

export const API_VERSION = '1.0.0';

export interface BuildAppOptions {
  store: Store;
  /** pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp({ store, logger = false }: BuildAppOptions) {
  const app = Fastify({
    logger,
    // Honour a caller's request id (from a proxy or another service) so one id follows the request everywhere.
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  await registerOpenApi(app, API_VERSION);

  const { claims, sources, entities } = store;
  await app.register(healthRoutes, { store });
  await app.register(problemsRoutes);
  await app.register(claimsRoutes, { claims });
  await app.register(sourcesRoutes, { sources, claims });
  await app.register(entitiesRoutes, { entities, claims });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
