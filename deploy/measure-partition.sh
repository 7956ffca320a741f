#!/usr/bin/env bash
# Prints how long a silo cut off from the network (its link down, as when its cable is pulled) takes to be declared
# dead in the membership table and to have its trials dispatched to the other silos, once with Orleans' default
# failure detection and once with the tuned settings the multi-process tests use. Redis and three silos each run in
# a network namespace of their own with an address on one bridge; the client runs on the root side. The cut-off silo
# never holds the sweep's coordinator. After each measurement its link comes back and the script prints what it did.
# Needs root (network namespaces), iproute2 and redis-server; uses a Release build.
#   deploy/measure-partition.sh [TRIALS]        (KEEP_LOGS=1 keeps the silos' logs)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "measure-partition.sh needs root: it makes network namespaces" >&2; exit 2; }
TRIALS=${1:-400}
dotnet build -c Release src/TinyNet.Sweeps.Cli -v q -nologo > /dev/null
CLI="dotnet $PWD/src/TinyNet.Sweeps.Cli/bin/Release/net10.0/tinynet-sweeps.dll"
WORK=$(mktemp -d)
ID=$(printf '%04x' $((RANDOM)))
NET=10.$((200 + RANDOM % 50)).$((RANDOM % 256))
# The LAN's bridge lives in a namespace of its own, away from the root namespace's firewall (Docker's, say, drops
# bridged traffic it does not know). The root namespace joins it by one more cable, with the address $NET.1.
LAN=tnm$ID-lan
HOSTS=(redis a b c) # host i has the address $NET.(i + 2); its cable is to-HOST in $LAN
PIDS=()
stop() { kill -9 "$1" 2> /dev/null || true; wait "$1" 2> /dev/null || true; } # wait: no "Killed" line from bash
cleanup() {
  for p in "${PIDS[@]}"; do stop "$p"; done
  for h in "${HOSTS[@]}"; do
    ip netns pids "tnm$ID-$h" 2> /dev/null | xargs -r kill -9 2> /dev/null || true
    ip netns del "tnm$ID-$h" 2> /dev/null || true
  done
  ip netns del "$LAN" 2> /dev/null || true
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$LAN"
ip -n "$LAN" link add name lan type bridge
ip -n "$LAN" link set dev lan up
ip link add name "tnm$ID" type veth peer name root netns "$LAN"
ip -n "$LAN" link set dev root master lan up
ip addr add "$NET.1/24" dev "tnm$ID"
ip link set dev "tnm$ID" up
for i in "${!HOSTS[@]}"; do
  h=${HOSTS[$i]}; ns=tnm$ID-$h
  ip netns add "$ns"
  ip -n "$LAN" link add name "to-$h" type veth peer name eth0 netns "$ns"
  ip -n "$LAN" link set dev "to-$h" master lan up
  ip -n "$ns" addr add "$NET.$((i + 2))/24" dev eth0
  ip -n "$ns" link set dev eth0 up
  ip -n "$ns" link set dev lo up
done
index() { for i in "${!HOSTS[@]}"; do [ "${HOSTS[$i]}" = "$1" ] && echo "$i"; done; }
address() { echo "$NET.$(($(index "$1") + 2))"; }
link() { ip -n "$LAN" link set dev "to-$1" "$2"; } # host up|down: the host's cable, at the bridge

REDIS=$(address redis):6379
ip netns exec "tnm$ID-redis" redis-server --bind "$(address redis)" --port 6379 --save "" --appendonly no \
  --protected-mode no > "$WORK/redis.log" 2>&1 & PIDS+=($!)
until redis-cli -h "$(address redis)" ping > /dev/null 2>&1; do sleep 0.1; done

sweep() { # name trials epochs
  printf 'name: %s\nmethod: grid\nseeds: %s\nparameters:\n  activation: {values: [sigmoid, relu]}\n  epochs: {value: %s}\n' "$1" $(($2 / 2)) "$3" > "$WORK/$1.yaml"
  echo "$WORK/$1.yaml"
}
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }

TUNED=(TINYNET_ORLEANS__MEMBERSHIP__PROBETIMEOUT=00:00:01 TINYNET_ORLEANS__MEMBERSHIP__NUMMISSEDPROBESLIMIT=2
       TINYNET_ORLEANS__MEMBERSHIP__NUMVOTESFORDEATHDECLARATION=1 TINYNET_ORLEANS__MEMBERSHIP__TABLEREFRESHTIMEOUT=00:00:02)
warm=$(sweep warm 40 20); long=$(sweep partition "$TRIALS" 50000)

measure() { # cluster-id env...
  local cluster=$1; shift
  declare -A pid
  for h in a b c; do
    ip netns exec "tnm$ID-$h" env "$@" $CLI silo --redis "$REDIS" --cluster-id "$cluster" --advertise "$(address "$h")" \
      --name "$cluster-$h" > "$WORK/$cluster-$h.log" 2>&1 & PIDS+=($!); pid[$h]=$!
  done
  for h in a b c; do until grep -qs "joined cluster" "$WORK/$cluster-$h.log"; do sleep 0.2; done; done
  $CLI submit "$warm" --redis "$REDIS" --cluster-id "$cluster" --wait > /dev/null 2>&1
  local id; id=$($CLI submit "$long" --redis "$REDIS" --cluster-id "$cluster" 2> /dev/null | head -1)
  sleep 3
  # The victim is a silo without the sweep's coordinator, so that only its trials move.
  local victim coordinator
  coordinator=$(grep -l "Sweep $id .* starts" "$WORK/$cluster"-?.log | head -1)
  for h in a b c; do [ "$WORK/$cluster-$h.log" != "$coordinator" ] && victim=$h && break; done
  local row="S$(address "$victim"):11111:" start dead="" moved=""
  start=$(now)
  link "$victim" down
  local deadline=$(($(date +%s) + 180))
  while [ -z "$dead" ] || [ -z "$moved" ]; do
    if [ -z "$dead" ] && redis-cli -h "$(address redis)" hgetall "tinynet-sweeps/members/$cluster" 2> /dev/null \
        | grep -A1 "^$row" | grep -q '"Status":6'; then dead=$(since "$start"); fi
    if [ -z "$moved" ] && grep -q "left the cluster; dispatching them again" "$coordinator"; then moved=$(since "$start"); fi
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "  gave up after 180 s (declared dead: ${dead:-no}, trials moved: ${moved:-no})"; break; fi
    sleep 0.1
  done
  echo "  silo $victim cut off: declared dead in the membership table after ${dead:-?} s, its trials dispatched elsewhere after ${moved:-?} s"
  link "$victim" up
  local healed; healed=$(now)
  for _ in $(seq 1 600); do kill -0 "${pid[$victim]}" 2> /dev/null || break; sleep 0.1; done
  if kill -0 "${pid[$victim]}" 2> /dev/null; then
    echo "  link back: silo $victim still runs 60 s later"
  else
    wait "${pid[$victim]}" && code=0 || code=$?
    echo "  link back: silo $victim exited $(since "$healed") s later with code $code: $(grep -m1 -E "FTL|FATAL" "$WORK/$cluster-$victim.log" | cut -c1-220)"
  fi
  $CLI cancel "$id" --now --redis "$REDIS" --cluster-id "$cluster" > /dev/null 2>&1 || true
  for h in a b c; do stop "${pid[$h]}"; done
}

echo "Orleans' default failure detection (ProbeTimeout 5 s, NumMissedProbesLimit 3, NumVotesForDeathDeclaration 2, TableRefreshTimeout 60 s):"
measure default
echo "tuned (${TUNED[*]}):"
measure tuned "${TUNED[@]}"
