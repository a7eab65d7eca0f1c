#!/usr/bin/env bash
# scripts/docker-smoke.sh – the production image built and run for real: the Dockerfile built,
# docker-compose.yml's migrate, web and worker services started against PostgreSQL, GET
# /api/health awaited, one house signed in for and billed through the JSON API, everything
# stopped and removed again. Prints the timings last. Not part of `npm test` (it needs root, a
# Docker engine and 10–15 minutes on a clean machine); see the README, "Production".
#
# What it brings when missing (Debian; root): docker.io, docker-compose, debootstrap, curl, jq;
# a Docker daemon (started in its own session, stopped again at the end); and the base images,
# made rather than pulled, since no image registry is reachable here. They are kept for the
# next run:
#   bookworm-local                a debootstrap minbase rootfs of Debian bookworm
#   node:24-bookworm-slim         the Dockerfile's base: bookworm-local + npm's node@24 binary
#                                 (scripts/docker/node.Dockerfile); a real one is used if present
#   kvartplata-smoke-postgres:15  Debian's PostgreSQL, behaving like the official image as far
#                                 as the compose file needs (scripts/docker/postgres.Dockerfile)
#
# Settings (environment): SMOKE_IMAGE (the project image's tag, kvartplata:smoke), SMOKE_PORT
# (where the web app is published on 127.0.0.1; a free port by default), SMOKE_DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${SMOKE_IMAGE:-kvartplata:smoke}
NODE_IMAGE=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
NODE_MAJOR=$(sed -E 's/^node:([0-9]+).*/\1/' <<< "$NODE_IMAGE")
BASE_IMAGE=bookworm-local
PG_IMAGE=kvartplata-smoke-postgres:15 # the image scripts/docker/compose.smoke.yml names
MIRROR=${SMOKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# The house billed below, and its invoice worked out by hand (half-up to kopecks per line):
#   cold water   (112.500 − 100.000) m³ × 45.6700 ₽ =  570.875  →   570.88
#   wastewater   the cold water's 12.500 m³ × 38.2000 ₽ =  477.500  →   477.50
#   maintenance              52.30 m² × 30.1200 ₽ = 1575.276  →  1575.28
#   total                                                        2623.66
EXPECTED_TOTAL=2623.66
PHONE=+79000000042

WORK=$(mktemp -d /tmp/kvartplata-smoke.XXXXXX)
DC=(docker-compose --env-file "$WORK/smoke.env" -p kvartplata-smoke -f docker-compose.yml -f scripts/docker/compose.smoke.yml)
DOCKERD_PID=""
STACK_UP=""

log() { echo "[smoke] $*"; }
die() {
  echo "[smoke] FAILED: $*" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
megabytes() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f", $1 / 1000000 }'; }
has_image() { docker image inspect "$1" > /dev/null 2>&1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "$1 needs root"; }
APT_UPDATED=""
apt_install() {
  need_root "installing $*"
  log "installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq >> "$WORK/apt.log" 2>&1 || die "apt-get update (log: $WORK/apt.log)"
    APT_UPDATED=1
  fi
  apt-get install -y -qq "$@" >> "$WORK/apt.log" 2>&1 || die "apt-get install $* (log: $WORK/apt.log)"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$STACK_UP" ]; then
    if [ "$status" -ne 0 ]; then
      log "the stack's last log lines:"
      "${DC[@]}" logs --no-color --tail 30 > "$WORK/compose.log" 2>&1 || true
      tail -n 60 "$WORK/compose.log" >&2 || true
    fi
    log "removing the stack (containers, network, database volume)"
    "${DC[@]}" down -v --remove-orphans > /dev/null 2>&1 || log "docker-compose down failed: see docker ps -a"
  fi
  if [ -n "$DOCKERD_PID" ]; then
    log "stopping the Docker daemon this script started (pid $DOCKERD_PID)"
    kill "$DOCKERD_PID" 2> /dev/null || true
    for _ in $(seq 60); do kill -0 "$DOCKERD_PID" 2> /dev/null || break; sleep 0.5; done
    # The one mount dockerd leaves behind when it stops.
    if ! kill -0 "$DOCKERD_PID" 2> /dev/null && mountpoint -q /run/docker/netns/default; then
      umount /run/docker/netns/default || true
    fi
  fi
  rm -rf "$WORK/rootfs" "$WORK/context"
  if [ "$status" -eq 0 ]; then rm -rf "$WORK"; else log "logs kept in $WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# TAG DOCKERFILE CONTEXT: the legacy builder (Debian's docker.io has no BuildKit) on the host's
# network, the only one here that reaches the npm registry and Debian's mirror.
build_image() {
  local log_file="$WORK/build-${1//[^a-z0-9]/-}.log"
  DOCKER_BUILDKIT=0 docker build --network host -t "$1" -f "$2" "$3" > "$log_file" 2>&1 || {
    tail -n 30 "$log_file" >&2
    die "building $1 (log: $log_file)"
  }
}

# ---- what the machine needs ----

MISSING=()
if ! command -v docker > /dev/null || { ! docker info > /dev/null 2>&1 && ! command -v dockerd > /dev/null; }; then
  MISSING+=(docker.io)
fi
command -v docker-compose > /dev/null || MISSING+=(docker-compose)
command -v curl > /dev/null || MISSING+=(curl)
command -v jq > /dev/null || MISSING+=(jq)
[ ${#MISSING[@]} -eq 0 ] || apt_install "${MISSING[@]}"

if ! docker info > /dev/null 2>&1; then
  need_root "starting dockerd"
  # No iptables and no default bridge: what works in this VM. Compose's own network still does
  # (names of services resolve, a published port answers on the host).
  log "starting dockerd --iptables=false --bridge=none"
  setsid dockerd --iptables=false --bridge=none > "$WORK/dockerd.log" 2>&1 < /dev/null &
  DOCKERD_PID=$!
  for _ in $(seq 60); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
  docker info > /dev/null 2>&1 || {
    tail -n 20 "$WORK/dockerd.log" >&2
    die "dockerd did not come up"
  }
fi
log "docker engine $(docker version -f '{{.Server.Version}}'), docker-compose $(docker-compose version --short)"

PORT=${SMOKE_PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
BASE="http://127.0.0.1:$PORT"
# Compose reads this instead of a .env of the checkout: only what the compose file asks for.
cat > "$WORK/smoke.env" << EOF
POSTGRES_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
KVARTPLATA_IMAGE=$IMAGE
WEB_PUBLISH=127.0.0.1:$PORT
SMS_PROVIDER=console
EOF
# A stack left by an interrupted earlier run (normally the trap removes it).
"${DC[@]}" down -v --remove-orphans > /dev/null 2>&1 || true

# ---- base images, made when absent ----

BASE_STARTED=$(now)
BASE_MADE=()
if ! has_image "$NODE_IMAGE" || ! has_image "$PG_IMAGE"; then
  if ! has_image "$BASE_IMAGE"; then
    need_root "debootstrap"
    command -v debootstrap > /dev/null || apt_install debootstrap
    log "making $BASE_IMAGE: debootstrap --variant=minbase bookworm (a few minutes)"
    started=$(now)
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 || {
      tail -n 20 "$WORK/debootstrap.log" >&2
      die "debootstrap (log: $WORK/debootstrap.log)"
    }
    # The downloaded packages and indexes: 80 MB nobody reads (the postgres image fetches its own).
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/cache/apt/*.bin "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | docker import - "$BASE_IMAGE" > /dev/null
    rm -rf "$WORK/rootfs"
    BASE_MADE+=("$BASE_IMAGE $(since "$started") s")
  fi

  if ! has_image "$NODE_IMAGE"; then
    log "making $NODE_IMAGE from $BASE_IMAGE and npm's node@$NODE_MAJOR"
    started=$(now)
    [ -s "$CA_BUNDLE" ] || die "$CA_BUNDLE is missing (apt-get install ca-certificates)"
    mkdir -p "$WORK/context"
    # npx keeps the package in its cache; the binary it runs is the one the image gets.
    cp "$(npx -y "node@$NODE_MAJOR" -p process.execPath)" "$WORK/context/node"
    cp -r "$(npm root -g)/npm" "$WORK/context/npm"
    cp "$CA_BUNDLE" "$WORK/context/ca-certificates.crt"
    build_image "$NODE_IMAGE" scripts/docker/node.Dockerfile "$WORK/context"
    rm -rf "$WORK/context"
    BASE_MADE+=("$NODE_IMAGE $(since "$started") s")
  fi

  if ! has_image "$PG_IMAGE"; then
    log "making $PG_IMAGE from $BASE_IMAGE and Debian's postgresql-15"
    started=$(now)
    build_image "$PG_IMAGE" scripts/docker/postgres.Dockerfile scripts/docker
    BASE_MADE+=("$PG_IMAGE $(since "$started") s")
  fi
fi
BASE_SECONDS=$(since "$BASE_STARTED")
[ ${#BASE_MADE[@]} -gt 0 ] || log "base images present from an earlier run: $NODE_IMAGE, $PG_IMAGE"
image_node=$(docker run --rm "$NODE_IMAGE" node --version)
[[ $image_node == "v$NODE_MAJOR."* ]] || die "$NODE_IMAGE runs node $image_node, not $NODE_MAJOR"

# ---- the project's image, with the real Dockerfile ----

log "building $IMAGE from the Dockerfile (FROM $NODE_IMAGE, node $image_node)"
previous=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2> /dev/null || true)
started=$(now)
build_image "$IMAGE" Dockerfile .
BUILD_SECONDS=$(since "$started")
# The image an earlier run built, now untagged (its build stages stay: they are the cache).
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$IMAGE")" ]; then
  docker rmi "$previous" > /dev/null 2>&1 || true
fi
IMAGE_MB=$(megabytes "$IMAGE")
NODE_IMAGE_MB=$(megabytes "$NODE_IMAGE")
log "built in $BUILD_SECONDS s: $IMAGE_MB MB ($NODE_IMAGE itself: $NODE_IMAGE_MB MB)"

# ---- the stack: docker-compose.yml as it is, plus scripts/docker/compose.smoke.yml ----

log "docker-compose up -d migrate web worker (and postgres, which they depend on); web on $BASE"
started=$(now)
STACK_UP=1
"${DC[@]}" up -d --no-build migrate web worker > "$WORK/up.log" 2>&1 || {
  cat "$WORK/up.log" >&2
  die "docker-compose up"
}
UP_SECONDS=$(since "$started")
health=""
deadline=$((SECONDS + 180))
until [ "$(jq -r '.status?' <<< "$health" 2> /dev/null)" = ok ]; do
  [ $SECONDS -lt $deadline ] || die "/api/health not ok after 180 s: ${health:-no answer}"
  sleep 0.5
  health=$(curl -s -m 5 "$BASE/api/health" || true)
done
HEALTHY_SECONDS=$(since "$started")
log "GET /api/health ok $HEALTHY_SECONDS s after up: $(jq -c '.checks | map_values(.ok)' <<< "$health")"

# The compose file's own healthcheck, which Docker runs inside the web container every 10 s.
WEB=$("${DC[@]}" ps -q web)
deadline=$((SECONDS + 60))
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$WEB")" = healthy ]; do
  [ $SECONDS -lt $deadline ] || die "the web container's healthcheck: $(docker inspect -f '{{.State.Health.Status}}' "$WEB")"
  sleep 1
done
CONTAINER_HEALTHY_SECONDS=$(since "$started")
[ "$(docker inspect -f '{{.State.ExitCode}}' "$("${DC[@]}" ps -q migrate)")" = 0 ] || die "migrate did not exit 0"
WORKERS=$("${DC[@]}" ps -q worker | wc -l)
log "web container healthy $CONTAINER_HEALTHY_SECONDS s after up; migrate exited 0; $WORKERS workers;" \
  "web runs as uid $(docker exec "$WEB" id -u) on node $(docker exec "$WEB" node --version)"

# ---- sign in, register a house, bill it ----

TOKEN=""
# METHOD PATH [JSON]: prints the answer's body; anything but 2xx fails the run.
api() {
  local answer status args=(-sS -m 30 -X "$1" "$BASE$2" -H 'content-type: application/json' -w '\n%{http_code}')
  [ -z "$TOKEN" ] || args+=(-H "authorization: Bearer $TOKEN")
  [ $# -lt 3 ] || args+=(--data-binary "$3")
  answer=$(curl "${args[@]}")
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  [[ $status == 2* ]] || die "$1 $2 answered $status: $answer"
  printf '%s' "$answer"
}

api POST /api/login "{\"phone\":\"$PHONE\"}" > /dev/null
code=""
deadline=$((SECONDS + 30))
until [ -n "$code" ]; do
  [ $SECONDS -lt $deadline ] || die "no sign-in code for $PHONE in the web log"
  sleep 0.5
  # SMS_PROVIDER=console: "[sms] to +7…: Kvartplata: your sign-in code is 123456. …"
  code=$(docker logs "$WEB" 2>&1 | sed -n "s/^\[sms\] to $PHONE: .*code is \([0-9]\{6\}\).*/\1/p" | tail -n 1)
done
verified=$(api POST /api/verify "{\"phone\":\"$PHONE\",\"token\":\"$code\"}")
TOKEN=$(jq -r .token <<< "$verified")
WORKSPACE=$(jq -r .user.workspace_id <<< "$verified")
log "signed in as $PHONE with the code from the web container's log"

# The two months before the current one in the app's zone (readings for a future month are
# refused); the later one is billed.
this_month=$(TZ=Europe/Moscow date +%Y-%m-01)
PREVIOUS=$(date -d "$this_month -2 month" +%Y-%m)
BILLED=$(date -d "$this_month -1 month" +%Y-%m)

house=$(api POST /api/houses '{"address":"ул. Контейнерная, д. 1"}' | jq -r .id)
apartment=$(api POST "/api/houses/$house/apartments" '{"number":"1","area":"52.30","owner_name":"Иванов Иван Иванович"}' | jq -r .id)
meter=$(api POST "/api/apartments/$apartment/meters" '{"serial_number":"SMOKE-1","service":"cold_water"}' | jq -r .id)
api PUT "/api/meters/$meter/readings/$PREVIOUS" '{"value":"100.000"}' > /dev/null
api PUT "/api/meters/$meter/readings/$BILLED" '{"value":"112.500"}' > /dev/null
api POST /api/tariffs "{\"service\":\"cold_water\",\"price\":\"45.6700\",\"valid_from\":\"$PREVIOUS\"}" > /dev/null
# Wastewater is billed by default from the water volumes (a workspace's services catalogue).
api POST /api/tariffs "{\"service\":\"wastewater\",\"price\":\"38.2000\",\"valid_from\":\"$PREVIOUS\"}" > /dev/null
api POST /api/tariffs "{\"service\":\"maintenance\",\"price\":\"30.1200\",\"valid_from\":\"$PREVIOUS\",\"house_id\":$house}" > /dev/null
log "house $house: apartment $apartment (52.30 m²), cold water meter $meter read in $PREVIOUS and $BILLED, three tariffs"

started=$(now)
run=$(api POST "/api/houses/$house/billing-runs" "{\"period\":\"$BILLED\"}" | jq -r .id)
status=queued
deadline=$((SECONDS + 120))
while [ "$status" != completed ] && [ "$status" != failed ]; do
  [ $SECONDS -lt $deadline ] || die "billing run $run still $status after 120 s"
  sleep 0.25
  status=$(api GET "/api/billing-runs/$run" | jq -r .status)
done
BILLING_SECONDS=$(since "$started")
[ "$status" = completed ] || die "billing run $run failed: $(api GET "/api/billing-runs/$run")"
invoices=$(api GET "/api/houses/$house/invoices?period=$BILLED")
log "billing run $run for $BILLED completed in $BILLING_SECONDS s:" \
  "$(jq -c '[.items[] | .lines[] | {service, quantity, price, amount}]' <<< "$invoices")"
[ "$(jq '.items | length' <<< "$invoices")" = 1 ] || die "expected one invoice: $invoices"
total=$(jq -r '.items[0].total' <<< "$invoices")
[ "$total" = "$EXPECTED_TOTAL" ] || die "invoice total $total, worked out by hand $EXPECTED_TOTAL"
log "invoice total $total ₽, as worked out by hand"

# ---- the payment document: drawn by the web container, and by a worker for the house ----

# A receipt needs the payee's requisites: the demo seed's (scripts/lib/demo-seed.ts), fictional
# but valid (check digits and the account's key against the BIC).
api PATCH "/api/workspaces/$WORKSPACE/requisites" '{"org_name":"ООО «УК Демо»","inn":"7704123450","kpp":"770401001",
  "org_address":"119002, г. Москва, ул. Арбат, д. 1","settlement_account":"40702810200000012345","bank_name":"ПАО Сбербанк",
  "bic":"044525225","correspondent_account":"30101810400000000225"}' > /dev/null

# FILE WHAT: the PDF as the server sent it. The fonts are embedded under their PostScript name
# (a subset: "ABCDEF+DejaVuSansCondensed"), in the uncompressed part of the file: found there,
# the container had the TTF files (Cyrillic is drawn with nothing else: lib/receipts/pdf.ts).
check_pdf() {
  [ "$(head -c 5 "$1")" = "%PDF-" ] || die "$2 is not a PDF: $(head -c 200 "$1")"
  grep -aq '+DejaVuSansCondensed' "$1" || die "$2 embeds no DejaVuSansCondensed font"
  grep -aq '+DejaVuSansCondensed-Bold' "$1" || die "$2 embeds no DejaVuSansCondensed-Bold font"
}
# With the checkout's dev dependencies (pdfjs-dist), the text is read back as well.
read_pdf_text() {
  [ -d node_modules/pdfjs-dist ] || return 1
  node --import tsx -e 'import { pdfText } from "./tests/helpers/pdf-read.ts";
    import { readFileSync } from "node:fs";
    console.log((await pdfText(readFileSync(process.argv[1]))).join("\n"));' "$1"
}

started=$(now)
read -r status content_type < <(curl -sS -m 60 -o "$WORK/receipt.pdf" -w '%{http_code} %{content_type}\n' \
  -H "authorization: Bearer $TOKEN" "$BASE/api/apartments/$apartment/receipt?period=$BILLED")
RECEIPT_SECONDS=$(since "$started")
[ "$status" = 200 ] || die "GET /api/apartments/$apartment/receipt answered $status: $(head -c 500 "$WORK/receipt.pdf")"
[ "$content_type" = application/pdf ] || die "the receipt came as $content_type"
check_pdf "$WORK/receipt.pdf" "the apartment's receipt"
log "GET /api/apartments/$apartment/receipt?period=$BILLED: 200 application/pdf, $(stat -c %s "$WORK/receipt.pdf") bytes" \
  "in $RECEIPT_SECONDS s, DejaVu Sans Condensed (regular and bold) embedded"
if text=$(read_pdf_text "$WORK/receipt.pdf"); then
  # The total in the ru format the document prints: "2 146,16" (a no-break space, or none).
  total_ru=$(sed 's/\./,/' <<< "$EXPECTED_TOTAL")
  grep -q 'ПЛАТЁЖНЫЙ ДОКУМЕНТ' <<< "$text" || die "no Cyrillic title in the receipt's text: $(head -n 5 <<< "$text")"
  grep -q "Иванов Иван Иванович" <<< "$text" || die "the payer's name is not in the receipt's text"
  tr -d ' \302\240' <<< "$text" | grep -q "${total_ru// /}" || die "the total $total_ru is not in the receipt's text"
  log "the receipt's text read back (pdfjs-dist): the payer's name and the total $total_ru in Cyrillic print"
else
  log "the receipt's text not read back: no node_modules/pdfjs-dist in this checkout (npm ci installs it)"
fi

started=$(now)
batch=$(api POST "/api/houses/$house/receipt-batches" "{\"period\":\"$BILLED\"}" | jq -r .id)
status=queued
deadline=$((SECONDS + 120))
while [ "$status" != done ] && [ "$status" != failed ]; do
  [ $SECONDS -lt $deadline ] || die "receipt batch $batch still $status after 120 s"
  sleep 0.25
  status=$(api GET "/api/receipt-batches/$batch" | jq -r .status)
done
BATCH_SECONDS=$(since "$started")
[ "$status" = done ] || die "receipt batch $batch failed: $(api GET "/api/receipt-batches/$batch")"
status=$(curl -sS -m 60 -o "$WORK/batch.pdf" -w '%{http_code}' -H "authorization: Bearer $TOKEN" "$BASE/api/receipt-batches/$batch/pdf")
[ "$status" = 200 ] || die "GET /api/receipt-batches/$batch/pdf answered $status"
check_pdf "$WORK/batch.pdf" "the house's receipts"
log "receipt batch $batch (drawn by a worker container) done in $BATCH_SECONDS s: $(stat -c %s "$WORK/batch.pdf") bytes, DejaVu embedded"

# ---- stop: SIGTERM to every service, then remove it all ----

started=$(now)
"${DC[@]}" stop > /dev/null 2>&1
STOP_SECONDS=$(since "$started")
worker_codes=$(for id in $("${DC[@]}" ps -q worker); do docker inspect -f '{{.State.ExitCode}}' "$id"; done | sort -u | xargs)
log "stopped in $STOP_SECONDS s: workers exited $worker_codes, web $(docker inspect -f '{{.State.ExitCode}}' "$WEB") (SIGTERM)"
[ "$worker_codes" = 0 ] || die "a worker did not stop cleanly on SIGTERM"
"${DC[@]}" down -v --remove-orphans > /dev/null 2>&1
STACK_UP=""
log "stack removed (containers, network, volume)"

echo
echo "[smoke] ok. Figures:"
if [ ${#BASE_MADE[@]} -gt 0 ]; then
  echo "  base images made         $BASE_SECONDS s ($(printf '%s, ' "${BASE_MADE[@]}" | sed 's/, $//'))"
else
  echo "  base images made         none (present from an earlier run)"
fi
echo "  project image build      $BUILD_SECONDS s (DOCKER_BUILDKIT=0 docker build --network host)"
echo "  project image size       $IMAGE_MB MB ($IMAGE; $NODE_IMAGE alone $NODE_IMAGE_MB MB)"
echo "  up → /api/health ok      $HEALTHY_SECONDS s (docker-compose up -d returned at $UP_SECONDS s; web container healthy at $CONTAINER_HEALTHY_SECONDS s)"
echo "  billing run              $BILLING_SECONDS s (POST to completed, 1 apartment)"
echo "  receipt (web)            $RECEIPT_SECONDS s (GET one apartment's PDF)"
echo "  receipt batch (worker)   $BATCH_SECONDS s (POST to done, 1 apartment)"
echo "  stop                     $STOP_SECONDS s (SIGTERM to web, $WORKERS workers and postgres)"
