#!/usr/bin/env bash
# Prints the multi-machine figures on this machine: trials per second with 1, 2 and 3 silo processes (Redis
# clustering and storage) against the embedded run, and how long a SIGKILLed silo's trials take to run elsewhere
# with Orleans' default failure detection. Needs redis-server; uses a Release build.
#   [EPOCHS=200] [MEASURE_FAILOVER=1] deploy/measure-cluster.sh [TRIALS]   (MEASURE_FAILOVER=0: throughput only)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${1:-400}
EPOCHS=${EPOCHS:-200}
dotnet build -c Release src/TinyNet.Sweeps.Cli -v q -nologo > /dev/null
CLI="dotnet src/TinyNet.Sweeps.Cli/bin/Release/net10.0/tinynet-sweeps.dll"
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 10000))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2> /dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 & PIDS+=($!)
REDIS_PID=$!
sleep 0.5
# Redis' own CPU so far, in clock ticks (user + system, from /proc).
redis_ticks() { awk '{ print $14 + $15 }' "/proc/$REDIS_PID/stat"; }
REDIS=127.0.0.1:$PORT

sweep() { # name trials epochs
  printf 'name: %s\nmethod: grid\nseeds: %s\nparameters:\n  activation: {values: [sigmoid, relu]}\n  epochs: {value: %s}\n' "$1" $(($2 / 2)) "$3" > "$WORK/$1.yaml"
  echo "$WORK/$1.yaml"
}

start_silos() { # cluster count
  for i in $(seq 1 "$2"); do
    $CLI silo --redis "$REDIS" --cluster-id "$1" --silo-port $((PORT + 10 * i)) --gateway-port $((PORT + 10 * i + 1)) \
      --advertise 127.0.0.1 --name "$1-s$i" > "$WORK/$1-s$i.log" 2>&1 & PIDS+=($!)
  done
  for i in $(seq 1 "$2"); do until grep -q "joined cluster" "$WORK/$1-s$i.log"; do sleep 0.2; done; done
}

seconds() { local start=$(date +%s.%N); "$@" > /dev/null 2>&1; echo "$(date +%s.%N) - $start" | bc; }

main=$(sweep main "$TRIALS" "$EPOCHS"); warm=$(sweep warm 40 20)
$CLI run "$warm" --out "$WORK/warm-embedded" > /dev/null 2>&1
t=$(seconds $CLI run "$main" --out "$WORK/embedded")
printf 'embedded (1 in-process silo, 2 workers, memory storage): %d trials in %.2f s = %.1f trials/s (includes ~1 s start-up)\n' "$TRIALS" "$t" "$(echo "$TRIALS / $t" | bc -l)"

for n in 1 2 3; do
  start_silos "c$n" "$n"
  $CLI submit "$warm" --redis "$REDIS" --cluster-id "c$n" --wait > /dev/null 2>&1
  before=$(redis_ticks)
  t=$(seconds $CLI submit "$main" --redis "$REDIS" --cluster-id "c$n" --wait)
  redis_ms=$(( ($(redis_ticks) - before) * 1000 / $(getconf CLK_TCK) ))
  printf '%d silo process(es), 2 workers each, Redis storage: %d trials in %.2f s = %.1f trials/s (includes ~0.5 s client connect); Redis CPU %d ms = %.0f µs a trial\n' \
    "$n" "$TRIALS" "$t" "$(echo "$TRIALS / $t" | bc -l)" "$redis_ms" "$(echo "$redis_ms * 1000 / $TRIALS" | bc -l)"
  for p in $(pgrep -f "cluster-id c$n "); do kill -9 "$p" 2> /dev/null || true; done
done

[ "${MEASURE_FAILOVER:-1}" = 0 ] && exit 0

# Failover with Orleans' default failure detection: SIGKILL one silo of three mid-sweep.
start_silos f 3
$CLI submit "$warm" --redis "$REDIS" --cluster-id f --wait > /dev/null 2>&1
# Trials long enough (50,000 epochs) that the sweep is still running when the silo dies.
long=$(sweep failover 400 50000)
id=$($CLI submit "$long" --redis "$REDIS" --cluster-id f 2> /dev/null | head -1)
sleep 3
victim=$(pgrep -f "name f-s3" | head -1)
killed=$(date +%s)
kill -9 "$victim"
deadline=$((killed + 120))
until grep -hE "left the cluster; dispatching them again|resumes:" "$WORK"/f-s*.log > /dev/null 2>&1; do
  if [ "$(date +%s)" -gt "$deadline" ]; then echo "no re-dispatch within 120 s of the SIGKILL"; exit 1; fi
  sleep 0.2
done
redispatched=$(date +%s)
echo "silo SIGKILLed at $(date -d @$killed +%T); its trials dispatched elsewhere at $(date -d @$redispatched +%T): $((redispatched - killed)) s"
$CLI status "$id" --redis "$REDIS" --cluster-id f --wait > /dev/null 2>&1
$CLI status "$id" --redis "$REDIS" --cluster-id f 2> /dev/null | head -1
