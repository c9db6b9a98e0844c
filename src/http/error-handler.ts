// One error handler and one not-found handler: every error leaves as application/problem+json (RFC 9457) with a
// stable code from http/problems.ts. Bodies of 5xx never carry internals, only the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type IssueDetail, PROBLEMS, type ProblemCode, problemType } from './problems.js';

const LOCATIONS: Record<string, IssueDetail['in']> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' };

/** JSON pointer escaping (RFC 6901): "~" -> "~0", "/" -> "~1". */
const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

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

function validationIssues(error: FastifyError): IssueDetail[] {
  const where = LOCATIONS[error.validationContext ?? 'body'] ?? 'body';
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
    return [{ in: where, pointer: v.instancePath === '/' ? '' : v.instancePath, detail: v.message ?? 'Invalid value' }];
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
    if (error instanceof AppError) return sendProblem(request, reply, error.code, error.message, error.errors);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = validationIssues(error);
      const first = errors[0];
      const detail = first ? `${first.in} ${first.pointer || '(root)'}: ${first.detail}` : 'The request is invalid';
      return sendProblem(request, reply, 'invalid-request', detail, errors);
    }
    const code = codeForFrameworkError(error);
    if (code === 'internal-error') {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(request, reply, code, `The request failed; quote request id ${request.id} when reporting it.`);
    }
    // The framework's messages for client errors (bad JSON, wrong media type) are safe and helpful to show.
    return sendProblem(request, reply, code, error.message);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'not-found', `No route for ${request.method} ${request.url.split('?')[0]}`),
  );
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

