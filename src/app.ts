// The composition root: buildApp wires repositories to routes and registers every plugin, in order. It does not
// listen, read the environment or open the database; server.ts and the tests do that and pass the store in.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAuth } from './auth/auth.plugin.js';
import { claimRetractionRoutes } from './claims/claims.retraction.routes.js';
import { pinReferences } from './claims/claims.rows.js';
import { claimsRoutes } from './claims/claims.routes.js';
import { Claim, ClaimCreate, ClaimReplace, ClaimRevision } from './claims/claims.schemas.js';
import { entitiesRoutes } from './entities/entities.routes.js';
import { exchangeRoutes } from './exchange/exchange.routes.js';
import type { ImportRunner } from './exchange/import.runner.js';
import { EntityCreate, EntityRecord, EntityReplace, EntityView } from './entities/entities.schemas.js';
import { tagger } from './http/conditional.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { type Limits, withLimits } from './http/limits.js';
import { holdsKey, LOG_REDACT, LOG_SERIALIZERS } from './http/logging.js';
import { countingClientErrors, countingFrameworkErrors, registerObservability } from './http/metrics.js';
import { registerProtection } from './http/protection.js';
import { registerOpenApi } from './http/openapi.js';
import { problemsRoutes } from './http/problems.routes.js';
import { registerRequestBodies } from './http/request-bodies.js';
import { claimRevisionPage } from './pages/claim-revision.page.js';
import { pagesRoutes } from './pages/pages.routes.js';
import { searchPageRoutes } from './pages/search.routes.js';
import { serializerCompiler } from './http/serializer.js';
import { revisionsRoutes } from './revisions/revisions.routes.js';
import { sourcesRoutes } from './sources/sources.routes.js';
import { SourceCreate, SourceRecord, SourceReplace, SourceView } from './sources/sources.schemas.js';
import type { Store } from './store.js';
import { writable, writeRoutes } from './write/write.routes.js';

export const API_VERSION = '1.0.0';

export interface BuildAppOptions {
  store: Store;
  /** pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Request limits, rate limits, load shedding, CORS (ADR 0004); production defaults for what is left out. */
  limits?: Partial<Limits>;
  /** Serve Prometheus metrics at /metrics. */
  metrics?: boolean;
  /**
   * Trust X-Forwarded-For from this proxy (Fastify's trustProxy: true, or addresses/CIDRs), so rate limits see the
   * client's address. Not a hop count: Fastify 5 takes one as "trust nothing".
   */
  trustProxy?: boolean | string;
  /** Service name and public base URL used in pages, citations and ClaimReview. */
  publishing?: { serviceName?: string | undefined; baseUrl?: string | undefined };
  /** Where POST /v1/import runs (exchange/import.runner.ts); in process unless given. */
  runImport?: ImportRunner;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line per request, written when it completes and carrying method, URL, status and time, instead of
 * Fastify's two (received + completed): at thousands of requests a second the second line was a measurable share
 * of the work, and it said nothing the first does not.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export async function buildApp({ store, logger = false, limits: given, metrics: metricsEnabled = false, trustProxy = false, publishing = {}, runImport }: BuildAppOptions) {
  const limits = withLimits(given);
  const metrics = metricsEnabled ? (await import('./http/metrics-registry.js')).createMetrics(store.sizes) : null;
  const app = Fastify({
    // What may never be logged (http/logging.ts) holds for every logger the app is given.
    logger: typeof logger === 'object' && logger !== null ? { redact: LOG_REDACT, serializers: LOG_SERIALIZERS, ...logger } : logger,
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      maxHeaderSize: limits.maxHeaderBytes,
      // Node enforces both timeouts only when it sweeps its connections, every 30 s by default: a request stalled
      // with REQUEST_TIMEOUT_MS at 30 s got its 408 after 50-80 s, and lowering the setting did not help. Headers get
      // the same limit as the whole request (Node's default for them is a minute); sweeping every second costs a pass
      // over the open connections.
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.floor(limits.requestTimeoutMs / 4)),
    },
    // server.ts closes with grace; the protection plugin answers requests that arrive meanwhile (problem+json 503).
    return503OnClosing: false,
    // ...and only once its drain has left nothing in flight does it close, so every connection still open is then
    // closed. By default close() drops idle keep-alive connections alone and waits for the rest, among them any that
    // has sent no request yet (Node counts one active from its accept, for headersTimeout): a browser's preconnect or a
    // proxy's spare connection held the shutdown until its 10 s limit, and the process exited 1.
    forceCloseConnections: true,
    frameworkErrors: countingFrameworkErrors(metrics, frameworkErrors),
    // Headers too large, a request too slow, bytes that are not HTTP: problem+json too, not Node's bare status line.
    clientErrorHandler: countingClientErrors(metrics, clientErrorHandler),
    trustProxy,
    // Honour a caller's request id (from a proxy or another service) so one id follows the request everywhere, when it
    // is a sane one. genReqId reads the header itself: with requestIdHeader set, Fastify takes any value given as it
    // is, and never asks genReqId.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      // An id shaped like an API key is not taken: it would be written to every log line of the request.
      return typeof given === 'string' && REQUEST_ID.test(given) && !holdsKey(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    logController: new OneLinePerRequest(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerErrorHandling(app);
  registerRequestBodies(app);
  await registerProtection(app, { limits, keys: store.keys, metrics });
  registerObservability(app, { metrics, slowRequestMs: limits.slowRequestMs });
  await registerOpenApi(app, API_VERSION);
  // Before any route: routes that declare a scope get their key check and their OpenAPI security from here.
  registerAuth(app, { keys: store.keys });

  const { claims, sources, entities, revisions, write, idempotency } = store;
  // One compiled serializer per representation, shared by reads and writes so both tag the same bytes alike.
  const tag = { claim: tagger(Claim), source: tagger(SourceView), entity: tagger(EntityView) };

  await app.register(healthRoutes, { store });
  await app.register(problemsRoutes);
  await app.register(claimsRoutes, { claims, tag: tag.claim, publishing });
  await app.register(pagesRoutes, { claims, ...publishing });
  await app.register(searchPageRoutes, { claims, serviceName: publishing.serviceName });
  await app.register(sourcesRoutes, { sources, claims, tag: tag.source });
  await app.register(entitiesRoutes, { entities, claims, tag: tag.entity });
  await app.register(writeRoutes, {
    idempotency,
    resources: [
      writable({ type: 'claim', name: 'Claim', tag: 'claims', view: Claim, createBody: ClaimCreate, replaceBody: ClaimReplace, tagged: tag.claim, create: write.createClaim, replace: write.replaceClaim }),
      writable({ type: 'source', name: 'Source', tag: 'sources', view: SourceView, createBody: SourceCreate, replaceBody: SourceReplace, tagged: tag.source, create: write.createSource, replace: write.replaceSource }),
      writable({ type: 'entity', name: 'Entity', tag: 'entities', view: EntityView, createBody: EntityCreate, replaceBody: EntityReplace, tagged: tag.entity, create: write.createEntity, replace: write.replaceEntity }),
    ],
  });
  await app.register(claimRetractionRoutes, { write, tag: tag.claim });
  await app.register(exchangeRoutes, { store, ...(runImport ? { runImport } : {}) });
  await app.register(revisionsRoutes, {
    revisions,
    resources: [
      {
        type: 'claim', name: 'Claim', tag: 'claims', notFound: 'claim-not-found', exists: claims.exists, revision: ClaimRevision, pin: pinReferences,
        page: claimRevisionPage(revisions, publishing),
      },
      { type: 'source', name: 'Source', tag: 'sources', notFound: 'source-not-found', exists: sources.exists, revision: SourceRecord },
      { type: 'entity', name: 'Entity', tag: 'entities', notFound: 'entity-not-found', exists: entities.exists, revision: EntityRecord },
    ],
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
