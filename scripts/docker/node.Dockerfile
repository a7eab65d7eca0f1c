# Stand-in for the official node:24-bookworm-slim image, for machines that cannot pull it
# (scripts/docker-smoke.sh): Debian bookworm (bookworm-local, a debootstrap rootfs) with the
# Node.js 24 binary of npm's `node@24` package, npm, and the official image's unprivileged
# `node` user (uid/gid 1000). The build context is a folder the smoke script fills.
FROM bookworm-local

# The host's CA bundle: the minbase rootfs has none, and this machine reaches the npm registry
# through a TLS proxy whose CA only this bundle knows (without it `npm ci` hangs).
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# npm's global config is $PREFIX/etc/npmrc, and the prefix follows the node binary: /usr/local.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && mkdir -p /usr/local/etc \
 && echo "cafile=/etc/ssl/certs/ca-certificates.crt" > /usr/local/etc/npmrc \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
