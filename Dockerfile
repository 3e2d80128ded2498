# syntax=docker/dockerfile:1
# The claudemesh auth server. The build stage packs the server exactly as it is
# published (claudemesh-server: one bundle, the migrations, PGlite) and installs
# that package; the runtime stage gets only the installed package. Node 24 LTS (the
# packages still run on 20.19+: engines in package.json).
#   docker build -t claudemesh-server:0.11.0 .
# Self-hosting guide: docs/self-hosting.md; with Postgres: compose.yaml.

FROM node:24-bookworm AS build
WORKDIR /src
RUN npm install -g pnpm@10
# Manifests first, so the dependency layer is reused until they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY sdk/package.json sdk/
COPY cli/package.json cli/
COPY extension/package.json extension/
COPY server/package.json server/
COPY e2e/package.json e2e/
COPY hardening/package.json hardening/
COPY test-support/package.json test-support/
# Only the server and what it builds from (the sdk); the keychain module is not needed.
RUN pnpm install --frozen-lockfile --filter "claudemesh-server..."
COPY tsconfig.base.json ./
COPY sdk/ sdk/
COPY server/ server/
RUN pnpm --filter claudemesh-server build \
  && cd server && pnpm pack --pack-destination /tmp/pack
RUN npm install -g --prefix /opt/claudemesh /tmp/pack/claudemesh-server-*.tgz \
  && test -f /opt/claudemesh/lib/node_modules/claudemesh-server/migrations/meta/_journal.json

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PATH=/opt/claudemesh/bin:$PATH \
    PORT=3000 \
    CLAUDEMESH_DATA_DIR=/data
# The installed package: dist/main.js, migrations/ (applied at start), node_modules/@electric-sql/pglite.
COPY --from=build /opt/claudemesh /opt/claudemesh
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /home/node
VOLUME ["/data"]
EXPOSE 3000
# slim has no curl; Node has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["claudemesh-server"]
