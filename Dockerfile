# syntax=docker/dockerfile:1
# The production image: one image, three commands (docker-compose.yml):
#   node dist/migrate.mjs    migrations + pg-boss schema, then exit (the `migrate` service)
#   node server.js           the web app (default)
#   node dist/worker.mjs     the background worker
# All of it is the folder `npm run build` leaves in .next/standalone, laid out as /app
# (scripts/lib/runtime-layout.ts); `npm start` runs the same folder in place.

# Node 24 LTS (Node 20 reached its end of life on 2026-04-30). CI runs the vitest suite on Node 24
# as well (.ci/run), so what ships is what was tested; development on Node >= 20.9 still works.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The command CI runs through `npm test`: next build (standalone output), then the static assets,
# drizzle/ and the esbuild bundles of the worker and the migration step into .next/standalone.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# HOSTNAME: the standalone server listens on $HOSTNAME, which Docker sets to the container's id.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# server.js, .next/ (with static/), node_modules/ (only what the server needs), drizzle/, dist/.
# Owned by root, so the app cannot rewrite its own code; only Next.js's cache is writable.
COPY --from=build /app/.next/standalone ./
RUN mkdir -p .next/cache && chown node:node .next/cache
# The official Node.js images' unprivileged user (uid 1000).
USER node
EXPOSE 3000
CMD ["node", "server.js"]
