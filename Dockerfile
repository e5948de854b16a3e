# The team relay (README, "Team relay"): one always-on Hooklens a team registers as its ReviewSense endpoint.
#   docker build -t hooklens-relay .
#   docker run -d --name hooklens-relay -p 127.0.0.1:8790:8790 -v hooklens-relay:/data hooklens-relay
#   docker exec hooklens-relay hooklens relay token add alice
# Put HTTPS in front of it (Caddy or nginx, README); ReviewSense only calls public HTTPS URLs.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles where no prebuilt binary fits this platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# No desktop app in here: Electron's binary is never downloaded, and no install script runs but SQLite's.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOOKLENS_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/out ./out
COPY --from=build /app/node_modules ./node_modules
RUN ln -s /app/bin/hooklens.js /usr/local/bin/hooklens && mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8790
# Alive when it answers: a path outside capture and the stream is a 404, and nothing is stored for it.
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8790/health').then((r) => process.exit(r.status === 404 ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["hooklens"]
# Listening on every interface of the container (publish the port to the proxy only); older deliveries
# are deleted after 30 days: a subscriber away longer is told how many it missed.
CMD ["relay", "--host", "0.0.0.0", "--port", "8790", "--keep", "30d"]
