# mjtask-bot as a container. Not built on the development machines (they have no Docker engine);
# kept to the standard multi-stage pattern so it builds as written wherever Docker runs.
# Build:  docker build -t mjtask-bot .
# Run:    docker run --env-file .env -v mjtask-data:/app/data -p 8788:8788 mjtask-bot

# 1. Build: compile TypeScript with every dependency, native addons (better-sqlite3) included.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# 2. Run: the compiled bot and its production dependencies only, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_PATH=/app/data/mjtask-bot.sqlite \
    HEALTH_PORT=8788
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8788
# /healthz on HEALTH_PORT answers 503 while a shard is not connected or the database does not answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.HEALTH_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `node` directly (not npm) so SIGTERM reaches the bot, which records what is in flight and exits.
CMD ["node", "--optimize-for-size", "dist/main.js"]
