#!/usr/bin/env bash
# Runs the project's docker-compose.yml for real on this machine and checks the results: Redis and three silo
# containers, sweeps/smoke.yaml submitted from a client container, then a longer sweep during which one silo
# container (the one hosting the sweep's coordinator) is SIGKILLed. Every trial must end with exactly one record
# in trials.jsonl, equal (metrics, loss history, stress answers, weights) to the same sweep run embedded on the host,
# in what the following client wrote and, for the longer sweep, in what `results ID` fetches afterwards.
#   deploy/compose-smoke.sh            (as root where the engine or the tools must be installed or started)
#
# Where no image registry can be reached (this project's machines), everything comes from Debian's mirror and the
# host: a debootstrap base image (tinynet-base:bookworm, with the .NET images' user `app`, uid 1654), the CLI
# published self-contained on the host and handed to deploy/Dockerfile (APP_IMAGE), Debian's redis-server for
# `redis:7`; deploy/smoke/docker-compose.smoke.yml says what it changes in docker-compose.yml (the Aspire dashboard is
# not started: its image cannot be had). Installs docker.io, docker-compose, debootstrap and jq when missing, and
# starts dockerd when none runs (stopped again at the end). Images are kept, so a second run starts warm.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

say() { echo "compose-smoke: $*"; }
fail() { echo "compose-smoke: FAILED: $*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - START )) s"; }

PROJECT=tinynet-smoke
BASE_IMAGE=tinynet-base:bookworm
APP_IMAGE=tinynet-sweeps:smoke
WORK=$(mktemp -d /tmp/tinynet-compose-smoke.XXXXXX)
export SMOKE_RESULTS=$WORK/results    # docker-compose.smoke.yml mounts it at /results in the client
mkdir -p "$SMOKE_RESULTS"
PUBLISH=$ROOT/artifacts/compose-smoke/publish   # kept between runs: an unchanged publish is quick and cached by docker
DOCKERD_PID=""
COMPOSE=()
BACKGROUND=()   # the host's publish and embedded runs, stopped on an early exit

kill_tree() { local c; for c in $(pgrep -P "$1"); do kill_tree "$c"; done; kill "$1" 2> /dev/null || true; }
cleanup() {
  local status=$?
  trap - EXIT
  for p in "${BACKGROUND[@]}"; do kill_tree "$p"; wait "$p" 2> /dev/null || true; done
  if [ "${#COMPOSE[@]}" -gt 0 ]; then
    if [ "$status" -ne 0 ]; then
      for s in redis silo1 silo2 silo3; do
        echo "--- last lines of $s ---" >&2
        # Log lines only (stack traces left out), the last few of each.
        "${COMPOSE[@]}" logs --no-color "$s" 2> /dev/null | grep -E '^[^|]*\| \[' | tail -8 >&2 || true
      done
    fi
    "${COMPOSE[@]}" down -v --remove-orphans -t 5 > "$WORK/down.log" 2>&1 \
      || { echo "compose-smoke: 'down -v' failed:" >&2; cat "$WORK/down.log" >&2; }
  fi
  if [ -n "$DOCKERD_PID" ]; then
    kill "$DOCKERD_PID" 2> /dev/null || true
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2> /dev/null || break; sleep 0.5; done
    say "stopped the dockerd it started"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v dotnet > /dev/null || fail "no dotnet on PATH: the CLI is published on the host (needs the .NET 10 SDK)"
# The same publish as deploy/Dockerfile's build stage, on the host (a local base image has no SDK or NuGet cache).
# It runs while the packages install and debootstrap builds the base image: on a fresh machine each takes minutes.
publish_started=$(date +%s)
# Its own obj/ and bin/ (--artifacts-path): a restore for linux-x64 into src/*/obj would rewrite the assets files
# that the tests' own builds, maybe running alongside, read.
dotnet publish src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj -c Release -r linux-x64 --self-contained true \
    -p:TorchSharpNativeFix=always --artifacts-path "$ROOT/artifacts/compose-smoke/build" -o "$PUBLISH" \
    -nologo -v q -nodeReuse:false > "$WORK/publish.log" 2>&1 &
PUBLISH_PID=$!
BACKGROUND+=("$PUBLISH_PID")

# --- Tools: Debian's packages, installed only when missing -------------------------------------------------------
missing=()
command -v docker > /dev/null || missing+=(docker.io)
command -v dockerd > /dev/null || missing+=(docker.io)
docker compose version > /dev/null 2>&1 || command -v docker-compose > /dev/null || missing+=(docker-compose)
docker image inspect "$BASE_IMAGE" > /dev/null 2>&1 || command -v debootstrap > /dev/null || missing+=(debootstrap)
command -v jq > /dev/null || missing+=(jq)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "needs root to install ${missing[*]} (not root: uid $(id -u))"
  command -v apt-get > /dev/null || fail "needs apt-get to install ${missing[*]} (not a Debian-like system)"
  say "installing ${missing[*]}"
  # The test projects' apt-get calls take turns through this lock file (tests/Shared/DebianPackages.cs).
  apt() { flock -w 900 "${TMPDIR:-/tmp}/tinynet-sweeps-apt.lock" apt-get -o DPkg::Lock::Timeout=600 "$@"; }
  apt update -qq > "$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; fail "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive apt install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) \
    >> "$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; fail "apt-get install ${missing[*]} failed"; }
fi

# --- Engine: the running one, or a dockerd of our own ------------------------------------------------------------
if ! docker info > /dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || fail "no Docker engine answers, and starting one needs root (uid $(id -u))"
  # No iptables rules and no forwarding on the host: the containers only talk to each other on their bridge, and
  # the machine's own firewall and network namespaces stay as they were. The Redis image's build uses the host's
  # network instead (--network host).
  dockerd --iptables=false --ip-forward=false > "$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 120); do docker info > /dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" 2> /dev/null || break; sleep 0.5; done
  docker info > /dev/null 2>&1 || { tail -20 "$WORK/dockerd.log" >&2; fail "dockerd did not start (log above)"; }
  say "started dockerd (pid $DOCKERD_PID) at $(elapsed)"
fi
say "engine: $(docker version --format 'server {{.Server.Version}}, client {{.Client.Version}}')"

if docker compose version > /dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
COMPOSE+=(-p "$PROJECT" -f "$ROOT/docker-compose.yml" -f "$ROOT/deploy/smoke/docker-compose.smoke.yml")
# Start from nothing, should an earlier run have been killed before its own clean-up.
"${COMPOSE[@]}" down -v --remove-orphans -t 1 > /dev/null 2>&1 || true

# BuildKit: it builds only the stages the target needs, so deploy/Dockerfile's SDK stage is skipped when APP_IMAGE
# is given. A CLI with buildx uses it; older CLIs (Debian's 20.10) have BuildKit built in.
BUILD=()
for cli in docker /usr/bin/docker; do
  command -v "$cli" > /dev/null || continue
  if "$cli" buildx version > /dev/null 2>&1; then BUILD=("$cli" buildx build --load); break; fi
  major=$("$cli" version --format '{{.Client.Version}}' 2> /dev/null | cut -d. -f1)
  if [ -n "$major" ] && [ "$major" -lt 23 ]; then BUILD=(env DOCKER_BUILDKIT=1 "$cli" build); break; fi
done
[ "${#BUILD[@]}" -gt 0 ] || fail "no docker CLI here builds with BuildKit (install docker-buildx, or Debian's docker.io client)"

# --- Images --------------------------------------------------------------------------------------------------------
if ! docker image inspect "$BASE_IMAGE" > /dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || fail "building $BASE_IMAGE with debootstrap needs root (uid $(id -u))"
  t=$(date +%s)
  # minbase has libc, libstdc++ (GCC 12: GLIBCXX_3.4.30), libgcc, zlib and bash; .NET also needs libssl (SHA-256).
  # No ICU (InvariantGlobalization) and no ca-certificates (nothing here speaks TLS to the internet).
  # The Debian mirror the host's apt uses, else debootstrap's default.
  mirror=$(grep -hs -E '^(URIs:|deb) ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  debootstrap --variant=minbase --include=libssl3 bookworm "$WORK/rootfs" ${mirror:+"$mirror"} \
    > "$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
  # The .NET images' non-root user, which deploy/Dockerfile's USER and chown name.
  chroot "$WORK/rootfs" groupadd --system --gid 1654 app
  chroot "$WORK/rootfs" useradd --no-log-init --system --uid 1654 --gid app --create-home app 2> /dev/null
  chroot "$WORK/rootfs" apt-get clean
  rm -rf "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | docker import --change 'ENV APP_UID=1654' \
    -m "debootstrap --variant=minbase bookworm + libssl3 + user app (deploy/compose-smoke.sh)" - "$BASE_IMAGE" > /dev/null
  rm -rf "$WORK/rootfs"
  say "built $BASE_IMAGE with debootstrap in $(( $(date +%s) - t )) s"
fi

t=$(date +%s)
"${BUILD[@]}" -q --network host -f deploy/smoke/redis.Dockerfile --build-arg BASE_IMAGE="$BASE_IMAGE" \
    -t tinynet-redis:smoke deploy/smoke > "$WORK/build-redis.log" 2>&1 \
  || { cat "$WORK/build-redis.log" >&2; fail "building the Redis image failed"; }
say "built tinynet-redis:smoke (Debian's redis-server on $BASE_IMAGE) in $(( $(date +%s) - t )) s"

wait "$PUBLISH_PID" || { tail -30 "$WORK/publish.log" >&2; fail "dotnet publish failed"; }
say "published the CLI self-contained on the host in $(( $(date +%s) - publish_started )) s, in parallel with the above ($(du -sm "$PUBLISH" | cut -f1) MB)"
CLI=$PUBLISH/tinynet-sweeps

# The embedded reference runs, while the images build and the cluster starts (both wait on I/O a good part).
FAILOVER_TRIALS=48
cat > "$SMOKE_RESULTS/failover.yaml" << 'EOF'
name: compose-failover
method: grid
seeds: 4
parameters:
  activation: {values: [relu, sigmoid, tanh]}
  epochs: {values: [1000, 2000, 3000, 4000]}
  batch_size: {value: 32}
EOF
( "$CLI" run sweeps/smoke.yaml --out "$WORK/embedded-smoke" && "$CLI" run "$SMOKE_RESULTS/failover.yaml" --out "$WORK/embedded-failover" ) \
  > "$WORK/embedded.log" 2>&1 &
EMBEDDED_PID=$!
BACKGROUND+=("$EMBEDDED_PID")

t=$(date +%s)
printf 'FROM scratch\nCOPY . /app/\n' | "${BUILD[@]}" -q -t tinynet-app:smoke -f - "$PUBLISH" > "$WORK/build-app.log" 2>&1 \
  || { cat "$WORK/build-app.log" >&2; fail "building the image of the host's publish failed"; }
"${BUILD[@]}" -q -f deploy/Dockerfile -t "$APP_IMAGE" --build-arg SDK_IMAGE="$BASE_IMAGE" \
    --build-arg RUNTIME_IMAGE="$BASE_IMAGE" --build-arg APP_IMAGE=tinynet-app:smoke . > "$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; fail "docker build -f deploy/Dockerfile failed"; }
say "built $APP_IMAGE (deploy/Dockerfile on $BASE_IMAGE, /app from the host's publish) in $(( $(date +%s) - t )) s"
libstdcxx=$(docker run --rm --entrypoint bash "$APP_IMAGE" -c \
  "grep -ao 'GLIBCXX_3\.4\.[0-9]*' /usr/lib/x86_64-linux-gnu/libstdc++.so.6 | sort -t. -k3 -n | tail -1")
say "the image's libstdc++ goes up to $libstdcxx; libLibTorchSharp.so's GLIBCXX_3.4.32 requirement is weak (TorchSharpNativeFix=always)"

# --- The cluster ----------------------------------------------------------------------------------------------------
t=$(date +%s)
# --no-deps: the silos' dependency on the Aspire dashboard would start it, and its image cannot be had here.
"${COMPOSE[@]}" up -d --no-deps --no-build redis > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up redis failed"; }
container() { "${COMPOSE[@]}" ps -q "$1"; }
wait_healthy() { # service seconds
  local id deadline=$(( $(date +%s) + $2 )) health
  id=$(container "$1")
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id" 2> /dev/null)" = healthy ]; do
    health=$(docker inspect -f '{{.State.Status}}' "$id" 2> /dev/null || echo gone)
    [ "$health" = running ] || fail "$1 is $health before it became healthy"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$1 not healthy after $2 s"
    sleep 0.5
  done
}
wait_healthy redis 60
"${COMPOSE[@]}" up -d --no-deps --no-build silo1 silo2 silo3 > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up silo1 silo2 silo3 failed"; }
for s in silo1 silo2 silo3; do wait_healthy "$s" 120; done
say "redis and silo1-3 up and healthy in $(( $(date +%s) - t )) s (docker-compose.yml + deploy/smoke/docker-compose.smoke.yml; no aspire-dashboard)"

# One record per trial, each equal to the embedded run's; prints one line per problem.
compare() { # cluster_dir embedded_dir
  jq -rn --slurpfile c "$1/trials.jsonl" --slurpfile e "$2/trials.jsonl" '
    def same: {status, metrics, loss_history, stress, weights};
    ($e | map({key: .id, value: .}) | from_entries) as $E
    | ($c | map(.id) | unique) as $ids
    | ($c | group_by(.id)[] | select(length > 1) | "trial \(.[0].id): \(length) records"),
      ($c[] | select(.status != "completed") | "trial \(.id): \(.status) \(.error // "")"),
      ($c[] | select($E[.id] == null) | "trial \(.id): not in the embedded run"),
      ($E | keys[] | select(. as $k | $ids | index($k) | not) | "trial \(.): no record from the cluster"),
      ($c[] | select($E[.id] != null and ($E[.id] | same) != (. | same))
            | "trial \(.id) (on \(.silo)): differs from the embedded run")'
}
per_silo() { jq -r .silo "$1/trials.jsonl" | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}'; }
check() { # label cluster_dir embedded_dir expected
  local problems n
  problems=$(compare "$2" "$3")
  [ -z "$problems" ] || { echo "$problems" | head -20 >&2; fail "$1: $(echo "$problems" | wc -l) problem(s) above"; }
  n=$(jq -s 'length' "$2/trials.jsonl")
  [ "$n" -eq "$4" ] || fail "$1: $n records, expected $4"
  say "$1: $n trials, each exactly once, completed, metrics/loss history/stress/weights equal to the embedded run's (per silo: $(per_silo "$2"))"
}
submit() { "${COMPOSE[@]}" run --rm --no-deps -T submit "$@" --redis redis:6379; }

# --- 1. sweeps/smoke.yaml -------------------------------------------------------------------------------------------
wait "$EMBEDDED_PID" || { tail -30 "$WORK/embedded.log" >&2; fail "the embedded runs on the host (sweeps/smoke.yaml, the failover sweep) failed"; }
t=$(date +%s)
submit submit sweeps/smoke.yaml --wait --out /results/smoke > "$WORK/smoke-client.log" 2>&1 \
  || { tail -20 "$WORK/smoke-client.log" >&2; fail "submit sweeps/smoke.yaml --wait from a client container failed"; }
say "sweeps/smoke.yaml through the cluster in $(( $(date +%s) - t )) s: $(grep -o 'Sweep .* completed:[^.]*' "$WORK/smoke-client.log" | tail -1)"
check "smoke" "$SMOKE_RESULTS/smoke" "$WORK/embedded-smoke" 4

# --- 2. a longer sweep, one silo SIGKILLed mid-sweep ----------------------------------------------------------------
# 48 trials whose epochs (1,000 to 4,000, written above) make results arrive over the sweep: a silo with a result
# still holds the longer trials of its groups of lanes when it dies.
# The victim is the silo hosting the sweep's coordinator, the hardest case: the coordinator resumes on a survivor
# and the following client must still write every trial once (it once missed some: see deploy/README.md).
# SMOKE_KILL_COORDINATOR=0 kills a silo that does not host it instead.
coordinator_silo() {
  local s
  for s in silo1 silo2 silo3; do
    if "${COMPOSE[@]}" logs --no-color "$s" 2> /dev/null | grep -q "(compose-failover) starts:"; then echo "$s"; return; fi
  done
}
t=$(date +%s)
submit submit /results/failover.yaml --wait --out /results/failover > "$WORK/failover-client.log" 2>&1 &
client=$!
log=$SMOKE_RESULTS/failover/trials.jsonl
victim=""
coordinator=""
deadline=$(( $(date +%s) + 180 ))
# Which silo hosts the coordinator is known as soon as the sweep starts; found first, because reading the silos' logs
# takes seconds on a loaded machine, long enough for the rest of the sweep to finish before the kill (seen once:
# 48 of 48 trials recorded when it came, so nothing was left to take over).
until [ -n "$coordinator" ]; do
  kill -0 "$client" 2> /dev/null || { tail -20 "$WORK/failover-client.log" >&2; fail "the failover sweep's client ended before its coordinator was found"; }
  [ "$(date +%s)" -lt "$deadline" ] || fail "no silo logged starting the failover sweep after 180 s"
  coordinator=$(coordinator_silo)
  sleep 0.2
done
# Strike once a few results are in, at a silo that has trained some (so it holds trials of this sweep).
until [ -n "$victim" ]; do
  kill -0 "$client" 2> /dev/null || { tail -20 "$WORK/failover-client.log" >&2; fail "the failover sweep's client ended before any silo was killed"; }
  [ "$(date +%s)" -lt "$deadline" ] || fail "no results of the failover sweep after 180 s"
  if [ -s "$log" ] && [ "$(wc -l < "$log")" -ge 3 ]; then
    if [ "${SMOKE_KILL_COORDINATOR:-1}" = 1 ]; then victim=$coordinator
    else victim=$(jq -r .silo "$log" | grep -E '^silo[0-9]+$' | grep -vx "$coordinator" | head -1 || true); fi
  fi
  sleep 0.1
done
done_at_kill=$(wc -l < "$log")
docker kill -s KILL "$(container "$victim")" > /dev/null
killed=$(date +%s)
say "SIGKILLed $victim's container at $(date +%T), $(( killed - t )) s into the failover sweep, with $done_at_kill of $FAILOVER_TRIALS trials recorded (the coordinator is on ${coordinator:-an unknown silo})"
wait "$client" || { tail -20 "$WORK/failover-client.log" >&2; fail "the failover sweep's client failed after $victim was killed"; }
say "failover sweep finished $(( $(date +%s) - killed )) s after the kill ($(( $(date +%s) - t )) s in all); $victim is now $(docker inspect -f '{{.State.Status}} (restarts: {{.RestartCount}})' "$(container "$victim")")"
after=$(tail -n +"$(( done_at_kill + 1 ))" "$log" | jq -r .silo | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')
say "records written after the kill, per silo that trained them: ${after:-none}"
# The survivors must have taken over the dead silo's trials (or, had it hosted the coordinator, resumed the sweep).
redispatch=$(for s in silo1 silo2 silo3; do [ "$s" = "$victim" ] || "${COMPOSE[@]}" logs --no-color "$s" 2> /dev/null; done \
  | grep -E "compose-failover-[^ ]*(: [0-9]+ trials were on silos that left the cluster| resumes:)" | sed -E 's/^[^|]*\| //' || true)
redispatch=${redispatch%%$'\n'*}
[ -n "$redispatch" ] || fail "no surviving silo logged taking over $victim's trials (re-dispatch or resume)"
say "a survivor logged: $redispatch"
# What the following client wrote, and the cluster's own copy as a later client gets it: both are checked, and
# both reported before failing, so that a loss shows where it happened.
id=$(grep -oE 'compose-failover-[0-9]+-[0-9]+-[0-9a-f]+' "$WORK/failover-client.log" | head -1)
[ -n "$id" ] || fail "the failover sweep's client never printed the sweep's id"
submit results "$id" --out /results/failover-fetched > "$WORK/results-client.log" 2>&1 \
  || { tail -20 "$WORK/results-client.log" >&2; fail "results $id from a client container failed"; }
( check "failover, fetched afterwards with 'results $id'" "$SMOKE_RESULTS/failover-fetched" "$WORK/embedded-failover" "$FAILOVER_TRIALS" ) \
  && fetched_ok=1 || fetched_ok=0
check "failover, as the client following it wrote it (submit --wait --out)" "$SMOKE_RESULTS/failover" "$WORK/embedded-failover" "$FAILOVER_TRIALS"
[ "$fetched_ok" = 1 ] || fail "the cluster's results of $id (above) are incomplete or differ"

say "OK in $(elapsed)"
