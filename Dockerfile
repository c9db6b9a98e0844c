# syntax=docker/dockerfile:1
# Build stage: compiles better-sqlite3 from source (no prebuilt binaries are downloaded) and bundles the server.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
# The build's id hashes the migrations with the sources (scripts/build.mjs).
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, compiled code, migrations and seed; runs as the unprivileged node user.
FROM node:20-bookworm-slim
# MALLOC_ARENA_MAX: glibc gives each thread that allocates (V8's compiler and collector threads, libuv's pool, the
# search columns' reader) an arena of its own and keeps what it frees there; two arenas held 14-15 MB less resident
# memory at a million claims after a load, at the same latencies (docs/adr/0002-serving-and-durability.md).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/claims.db \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY seed ./seed
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM from `docker stop` reaches node directly (exec form), which shuts down gracefully.
CMD ["node", "dist/server.mjs"]
