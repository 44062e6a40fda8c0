# One image for every service of the supergraph (each subgraph, the router, the storefront);
# docker-compose.yml and deploy/k8s pick the entry point and PORT. Node 26 is the active LTS
# line (since 2026-10-28; Node 20 reached end of life in April 2026); the code also runs on 20.
FROM node:26-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# Where a service keeps the private key it makes on first start (a volume per service in
# docker-compose.yml): the only path its unprivileged user may write.
RUN mkdir /keys && chown node:node /keys && chmod 700 /keys
# Runs as the image's unprivileged `node` user; the code is owned by root, so it is read-only to it.
USER node
# Readiness of whichever service runs here: its dependencies answer and it is not draining.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=32", "router/dist/main.js"]
