// Retraction instead of deletion: POST /v1/claims/{id}/retraction marks a claim retracted with a reason and,
// optionally, the claim that supersedes it. The claim stays readable at its URL and in its history; lists leave
// it out unless asked. Needs an `admin` key and If-Match, like every change.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, sendTagged, type Tagged } from '../http/conditional.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { IdParams } from '../http/schemas.js';
import { IfMatchHeaders } from '../write/write.routes.js';
import type { WriteService } from '../write/write.service.js';
import { Claim, RetractionRequest } from './claims.schemas.js';

export const claimRetractionRoutes: FastifyPluginAsyncZod<{ write: WriteService; tag: (claim: Claim) => Tagged }> = async (
  app,
  { write, tag },
) => {
  app.post(
    '/v1/claims/:id/retraction',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'retractClaim',
        summary: 'Retract a claim',
        description:
          'Marks the claim retracted: it keeps its URL and its history, shows `retraction` (reason, time, successor) ' +
          'and is left out of lists unless `includeRetracted=true`. Recorded as a revision with action `retract`. ' +
          '`supersededBy` must name an existing claim that is not itself retracted (422). A retracted claim cannot be changed or retracted again (409).',
        tags: ['claims'],
        params: IdParams.claim,
        headers: IfMatchHeaders,
        body: RetractionRequest,
        response: responses({ description: 'The claim, now retracted.', schema: Claim, headers: ETAG_HEADER }, 400, 404, 409, 412, 413, 415, 422, 428),
      },
    },
    async (request, reply) => {
      const check = requireIfMatch(request.headers['if-match'], 'claim');
      const { reason, supersededBy } = request.body;
      const claim = write.retractClaim(request.params.id, { supersededBy }, { author: request.apiKey!.name, reason }, (current) =>
        check(tag(current).etag),
      );
      return sendTagged(request, reply, tag(claim));
    },
  );
};
