# Stand-in for the official postgres image, for machines that cannot pull it
# (scripts/docker-smoke.sh): Debian bookworm's PostgreSQL 15 with just enough of the official
# image's behaviour for docker-compose.yml: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, a
# cluster made on the first start in /var/lib/postgresql/data (the volume), TCP with passwords,
# pg_isready on the PATH for the healthcheck, SIGINT to stop.
FROM bookworm-local

# No cluster from the package (the entrypoint makes one in the volume), and no service start
# attempted during the install.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get -o Acquire::Check-Valid-Until=false update \
 && apt-get install -y --no-install-recommends postgresql-common \
 && sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data

ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
# The official image starts as root and drops to postgres; this one is postgres throughout
# (a fresh named volume takes the ownership of the folder above).
USER postgres
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["postgres-entrypoint.sh"]
