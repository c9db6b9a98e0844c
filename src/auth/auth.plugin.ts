// Who may write. A route declares the scope it needs (`config: { scope: 'editor' }`); from that one declaration
// this plugin both enforces it (an onRequest hook, so no body is parsed for a caller without a key) and
// documents it (the bearer security scheme, 401 and 403 on the operation). Reading needs no key.
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { KeyScope } from '../domain/vocabulary.js';
import { SECURITY_SCHEME } from '../http/openapi.js';
import { AppError } from '../http/problems.js';
import { problemResponse } from '../http/responses.js';
import { hashKey, KEY_FORMAT, sameHash } from './api-keys.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

export interface Caller {
  id: number;
  name: string;
  scope: KeyScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key that authenticated this request; null on routes that need none. */
    apiKey: Caller | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public. */
    scope?: KeyScope;
  }
}

/** What each scope may do: admin can do everything an editor can. */
const GRANTS: Record<KeyScope, readonly KeyScope[]> = { editor: ['editor'], admin: ['editor', 'admin'] };

const BEARER = /^Bearer +(\S+) *$/i;

function unauthorized(reply: FastifyReply, detail: string, invalidToken: boolean): AppError {
  reply.header('www-authenticate', invalidToken ? 'Bearer realm="claims-api", error="invalid_token"' : 'Bearer realm="claims-api"');
  return new AppError('unauthorized', detail);
}

/** Names the key on every later log line of the request (the request-completed line included); never the key. */
function bindKeyName(request: FastifyRequest, name: string): void {
  (request.log as FastifyBaseLogger & { setBindings?: (b: Record<string, unknown>) => void }).setBindings?.({ apiKey: name });
}

export function requireScope(keys: ApiKeysRepository, scope: KeyScope, now: () => Date): onRequestHookHandler {
  return async function authenticate(request, reply) {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw unauthorized(reply, 'This operation needs an API key: send Authorization: Bearer <key>', false);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw unauthorized(reply, 'Send the API key as Authorization: Bearer <key>', true);

    const presented = hashKey(token);
    const key = KEY_FORMAT.test(token) ? keys.findByHash(presented) : null;
    if (key === null || !sameHash(key.keyHash, presented)) {
      request.log.info({ reason: 'unknown' }, 'API key refused');
      throw unauthorized(reply, 'The API key is not valid', true);
    }
    bindKeyName(request, key.name);
    if (key.revokedAt !== null) {
      request.log.info({ reason: 'revoked' }, 'API key refused');
      throw unauthorized(reply, `The API key "${key.name}" was revoked on ${key.revokedAt}`, true);
    }
    if (key.expiresAt !== null && key.expiresAt <= now().toISOString()) {
      request.log.info({ reason: 'expired' }, 'API key refused');
      throw unauthorized(reply, `The API key "${key.name}" expired on ${key.expiresAt}`, true);
    }
    request.apiKey = { id: key.id, name: key.name, scope: key.scope };
    if (!GRANTS[key.scope].includes(scope))
      throw new AppError('forbidden', `The API key "${key.name}" has scope ${key.scope}; this operation needs ${scope}`);
  };
}

export function registerAuth(app: FastifyInstance, { keys, now = () => new Date() }: { keys: ApiKeysRepository; now?: () => Date }): void {
  app.decorateRequest('apiKey', null);
  // Must be added before any route is registered: it rewrites the options of routes that declare a scope.
  app.addHook('onRoute', (route) => {
    const scope = route.config?.scope;
    if (scope === undefined) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [requireScope(keys, scope, now), ...existing];
    const schema = (route.schema ?? {}) as { description?: string; response?: Record<number, unknown> };
    route.schema = {
      ...schema,
      description: [schema.description, `Needs an API key with scope \`${scope}\`${scope === 'editor' ? ' or `admin`' : ''}.`].filter(Boolean).join('\n\n'),
      // OpenAPI 3.1 lets a bearer requirement list role names: the scope the operation needs.
      security: [{ [SECURITY_SCHEME]: [scope] }],
      response: { ...schema.response, 401: problemResponse(401), 403: problemResponse(403) },
    } as typeof route.schema;
  });
}
