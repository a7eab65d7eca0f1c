#!/bin/bash
# The official postgres image's first start, reduced to what docker-compose.yml uses: a cluster
# owned by POSTGRES_USER (password POSTGRES_PASSWORD, required from TCP) with the database
# POSTGRES_DB, made when $PGDATA has none; then the server in the foreground.
set -euo pipefail
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "[postgres] first start: initdb in $PGDATA for $POSTGRES_USER"
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 > /dev/null
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A private socket and no TCP: the healthcheck's pg_isready must not see this server.
    socket=$(mktemp -d)
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k $socket" -w start > /dev/null
    createdb -h "$socket" -U "$POSTGRES_USER" "$POSTGRES_DB"
    pg_ctl -D "$PGDATA" -m fast -w stop > /dev/null
    rmdir "$socket"
  fi
  echo "[postgres] database $POSTGRES_DB ready"
fi
exec postgres "$@"
