#!/usr/bin/env bash
# Prints what a large sweep of 1-epoch trials costs: embedded (wall time, peak RSS) and through Redis with one silo
# process (wall time, the silo's and the client's peak RSS, and Redis's memory per trial once the sweep is over).
# Needs redis-server and GNU time; uses a Release build.
#   deploy/measure-scale.sh [TRIALS]     # default 100000 (10,000 random configurations x 10 seeds)
#   SEEDS=100 deploy/measure-scale.sh    # the same trials as 1,000 configurations x 100 seeds (what grows with configurations)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${1:-100000}
SEEDS=${SEEDS:-10}
dotnet build -c Release src/TinyNet.Sweeps.Cli -v q -nologo > /dev/null
CLI="dotnet src/TinyNet.Sweeps.Cli/bin/Release/net10.0/tinynet-sweeps.dll"
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 10000))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2> /dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

printf 'name: scale\nmethod: random\nrun_cap: %d\nsampler_seed: 5\nseeds: %d\nparameters:\n  activation: {values: [sigmoid, relu, tanh]}\n  optimizer: {values: [sgd, adam]}\n  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.3}\n  epochs: {value: 1}\n' \
  $((TRIALS / SEEDS)) "$SEEDS" > "$WORK/scale.yaml"

/usr/bin/time -f '%e %M' -o "$WORK/embedded.time" $CLI run "$WORK/scale.yaml" --out "$WORK/embedded" > /dev/null 2>&1
read -r wall rss < "$WORK/embedded.time"
printf 'embedded: %d trials (%d configurations x %d seeds) in %.1f s (start-up included), peak RSS %d MiB\n' "$TRIALS" $((TRIALS / SEEDS)) "$SEEDS" "$wall" $((rss / 1024))

redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 & PIDS+=($!); disown
sleep 0.5
REDIS=127.0.0.1:$PORT
base=$(redis-cli -p "$PORT" info memory | awk -F: '/^used_memory:/{print $2}' | tr -d '\r')
# Started directly (not under time) so that its pid is the silo's own, for its peak RSS and to stop it at the end.
$CLI silo --redis "$REDIS" --cluster-id scale --silo-port $((PORT + 1)) \
  --gateway-port $((PORT + 2)) --advertise 127.0.0.1 --name scale-s1 > "$WORK/silo.log" 2>&1 & SILO=$!; PIDS+=($SILO); disown
until grep -q "joined cluster" "$WORK/silo.log"; do sleep 0.2; done
/usr/bin/time -f '%e %M' -o "$WORK/client.time" $CLI submit "$WORK/scale.yaml" --redis "$REDIS" --cluster-id scale --wait \
  --out "$WORK/clustered" > /dev/null 2>&1
read -r wall crss < "$WORK/client.time"
used=$(redis-cli -p "$PORT" info memory | awk -F: '/^used_memory:/{print $2}' | tr -d '\r')
keys=$(redis-cli -p "$PORT" dbsize | tr -d '\r')
srss=$(awk '/VmHWM/{print $2}' "/proc/$SILO/status")
printf 'one silo process with Redis: %d trials in %.1f s (client connect included); silo peak RSS %d MiB, client peak RSS %d MiB\n' \
  "$TRIALS" "$wall" $((srss / 1024)) $((crss / 1024))
printf 'Redis: %d keys, %.1f MiB used after the sweep, %.0f bytes a trial\n' "$keys" "$(echo "($used - $base) / 1048576" | bc -l)" \
  "$(echo "($used - $base) / $TRIALS" | bc -l)"
