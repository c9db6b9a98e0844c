// One error handler and one not-found handler: every error leaves as application/problem+json (RFC 9457) with a
// stable code from http/problems.ts. Bodies of 5xx never carry internals, only the request id. The not-found handler
// also tells a wrong method (405) from a wrong path (404).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type IssueDetail, PROBLEMS, type ProblemCode, problemType } from './problems.js';
import { unsupportedMediaTypeDetail } from './request-bodies.js';

const LOCATIONS: Record<string, IssueDetail['in']> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' };

/** JSON pointer escaping (RFC 6901): "~" -> "~0", "/" -> "~1". */
export const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  errors?: IssueDetail[],
): FastifyReply {
  const { status, title } = PROBLEMS[code];
  return reply
    .code(status)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send({
      type: problemType(code),
      title,
      status,
      detail,
      code,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(errors ? { errors } : {}),
    });
}

function validationIssues(error: FastifyError, request: FastifyRequest): IssueDetail[] {
  const where = LOCATIONS[error.validationContext ?? 'body'] ?? 'body';
  // A parameter given twice reaches the schema as an array, whose message ("must be a whole number") would blame
  // the value; say what is wrong instead.
  const raw = where === 'query' ? (request.query as Record<string, unknown>) : {};
  const repeated = (pointer: string) => {
    const name = pointer.split('/')[1]?.replaceAll('~1', '/').replaceAll('~0', '~');
    const value = name === undefined ? undefined : raw[name];
    return Array.isArray(value) ? `"${name}" is given ${value.length} times; give it once` : undefined;
  };
  return (error.validation ?? []).flatMap((v) => {
    const keys = (v.params as { keys?: unknown }).keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      const base = v.instancePath === '/' ? '' : v.instancePath;
      return keys.map((k) => ({
        in: where,
        pointer: `${base}/${escapePointer(String(k))}`,
        detail: where === 'body' ? `Unknown or read-only field "${String(k)}"` : `Unknown parameter "${String(k)}"`,
      }));
    }
    const pointer = v.instancePath === '/' ? '' : v.instancePath;
    return [{ in: where, pointer, detail: repeated(pointer) ?? v.message ?? 'Invalid value' }];
  });
}

/** Maps the framework's own 4xx errors (body parsing, media types, sizes) onto our codes. */
function codeForFrameworkError(error: FastifyError): ProblemCode {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload-too-large';
    default:
      break;
  }
  const status = error.statusCode ?? 500;
  const byStatus = (Object.keys(PROBLEMS) as ProblemCode[]).find((c) => PROBLEMS[c].status === status);
  return status >= 400 && status < 500 ? (byStatus ?? 'invalid-request') : 'internal-error';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      // Every 503 says when to come back; the protections that send one set their own delay.
      if (error.code === 'service-unavailable' && !reply.hasHeader('retry-after')) reply.header('retry-after', '5');
      return sendProblem(request, reply, error.code, error.message, error.errors);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = validationIssues(error, request);
      const first = errors[0];
      const detail = first ? `${first.in} ${first.pointer || '(root)'}: ${first.detail}` : 'The request is invalid';
      return sendProblem(request, reply, 'invalid-request', detail, errors);
    }
    // Another process (a CLI import, a maintenance command) held the write lock past the busy timeout. The write's
    // transaction was rolled back: nothing was written, and the same request can simply be sent again.
    if (/^SQLITE_(BUSY|LOCKED)/.test(String(error.code))) {
      reply.header('retry-after', '2');
      return sendProblem(request, reply, 'service-unavailable', 'The database is busy with another writer (an import or a maintenance command); nothing was written. Retry shortly.');
    }
    const code = codeForFrameworkError(error);
    if (code === 'internal-error') {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(request, reply, code, `The request failed; quote request id ${request.id} when reporting it.`);
    }
    // Fastify's own message here is only "Unsupported Media Type": say what this route reads instead.
    if (code === 'unsupported-media-type') return sendProblem(request, reply, code, unsupportedMediaTypeDetail(request));
    // The framework's other messages for client errors (bad JSON, an empty body) are safe and helpful to show.
    return sendProblem(request, reply, code, error.message);
  });

  const allowedMethods = methodsOf(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(request.url);
    // OPTIONS alone does not make a path exist: CORS serves preflights from one route, `*`, that matches every path.
    // A route that matched this very method and then called callNotFound() (a missing file under /docs) stays 404.
    if (allowed.some((m) => m !== 'OPTIONS') && !allowed.includes(request.method)) {
      const allow = allowed.join(', ');
      reply.header('allow', allow);
      return sendProblem(request, reply, 'method-not-allowed', `${request.method} is not allowed on ${path}; it accepts ${allow}`);
    }
    return sendProblem(request, reply, 'not-found', `No route for ${request.method} ${path}`);
  });
}

/** The usual order of methods in Allow; any other method Fastify knows follows. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const rank = (method: string) => (METHOD_ORDER.includes(method) ? METHOD_ORDER.indexOf(method) : METHOD_ORDER.length);

/**
 * The methods the router would serve a URL with (RFC 9110's Allow), found by asking the router itself once per method
 * it knows, so that parameters, ignoreTrailingSlash and percent-decoding match exactly as for a real request. A lookup
 * per method (nine by default; one with no routes at all returns at once), and only on the not-found path.
 */
function methodsOf(app: FastifyInstance): (url: string) => string[] {
  let methods: string[] | undefined;
  return (url) => {
    // Read at the first miss, once every route and custom method is known.
    methods ??= [...app.supportedMethods].sort((a, b) => rank(a) - rank(b));
    // findRoute is typed as always finding one; it returns null when no route matches.
    return methods.filter((method) => (app.findRoute({ method: method as HTTPMethods, url }) as unknown) !== null);
  };
}

/**
 * Errors the router raises before any route or hook runs (a malformed escape in the path, a path parameter over
 * the router's 100-character cap): Fastify's `frameworkErrors` option, so they leave as problem+json too.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(request, reply, 'uri-too-long', 'A path segment is longer than 100 characters');
  if (error.code === 'FST_ERR_BAD_URL') return sendProblem(request, reply, 'invalid-request', 'The path is not a valid URL (a malformed percent-escape)');
  request.log.error({ err: error }, 'request failed');
  return sendProblem(request, reply, 'internal-error', `The request failed; quote request id ${request.id} when reporting it.`);
}


/** What Node's HTTP parser reports before a request exists, as our codes. */
const CLIENT_ERRORS: Record<string, { code: ProblemCode; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request-timeout', detail: 'The request did not arrive in full within the time allowed' },
  HPE_HEADER_OVERFLOW: { code: 'headers-too-large', detail: 'The request line and headers are larger than the service accepts' },
};

/**
 * Fastify's `clientErrorHandler`: errors Node's HTTP parser raises before there is a request (headers too large, a
 * request too slow to arrive, bytes that are not HTTP). No route, hook or reply exists yet, so the answer is written
 * to the socket by hand, in the same problem+json shape as every other error, and the connection is closed: after
 * a parse error the stream cannot be trusted to hold another request. Returns the status answered, if any.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): number | null {
  if (error.code === 'ECONNRESET' || socket.destroyed) return null;
  const known = CLIENT_ERRORS[error.code ?? ''];
  const code = known?.code ?? 'invalid-request';
  const requestId = randomUUID();
  const { status, title } = PROBLEMS[code];
  const body = JSON.stringify({
    type: problemType(code),
    title,
    status,
    detail: known?.detail ?? 'The request is not valid HTTP/1.1',
    code,
    requestId,
  });
  // Code and message only: the error also carries the raw bytes received, which may hold an API key.
  this.log.info({ reqId: requestId, err: { code: error.code, message: error.message } }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
  return status;
}
