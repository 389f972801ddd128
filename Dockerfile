# The playground (a Strapi 5 app) with the plugin built from this repository.
# Used by docker-compose.yml together with PostgreSQL.
FROM node:20-bookworm-slim

# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY playground/package.json playground/package.json
RUN npm ci --loglevel=error

COPY . .
# The plugin (server + admin bundles), then the playground's admin panel and server.
RUN npm run build && npm run build --workspace playground

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=1337
EXPOSE 1337

WORKDIR /app/playground
# prepare-env only fills what the environment leaves unset, and creates the dev identity provider's key.
CMD ["sh", "-c", "node scripts/prepare-env.js && npx strapi start"]
