# hayon: multi-stage build, Node 24 slim, runs as a non-root user.
FROM node:24-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# npm ci runs `prepare`, which compiles src to dist.
RUN npm ci && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production HAYON_DATA_DIR=/data
# glibc keeps many malloc arenas; sharp (image resizing) then holds on to much more memory than it uses.
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
# The port hayon listens on, HAYON_PORT when .env sets one.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HAYON_PORT||8787)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/hayon.js"]
CMD ["serve"]
