# One image for every service of the supergraph; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages packages
COPY subgraphs subgraphs
COPY router router
COPY scripts scripts
COPY schema schema
COPY clients/partner clients/partner
COPY tsconfig.json tsconfig.base.json ./
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
CMD ["node", "router/dist/main.js"]
