// What the logs must never hold. The request serializer logs no headers at all; this redaction is the second
// line of defence should anything (a route, a plugin, an error) log a request's headers. API keys travel only
// in Authorization; the logs name the key (`apiKey`, bound by the auth plugin), never the key itself.
export const LOG_REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'authorization'],
  censor: '[redacted]',
};
