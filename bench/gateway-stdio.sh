#!/bin/sh
# Issue 14 benchmark: the stdio gateway (`toolhost mcp-server`) against its downstream server used directly, side by
# side in each round (ROUNDS interleaved rounds), all over stdio:
#   seq-direct   TS SDK 1.x client -> server-everything, sequential echo (1 in flight)
#   seq-gateway  TS SDK 1.x client -> toolhost mcp-server -> server-everything (mcp__everything__echo), sequential
#   par-direct   the same, 16 in flight, direct
#   par-gateway  the same, 16 in flight, through the gateway
#   mod-direct   TS SDK v2 client pinned to 2026-07-28 -> v2-server.mjs stdio --modern-only (echo), 16 in flight
#   mod-gateway  the same client -> toolhost mcp-server -> v2-server.mjs stdio --modern-only (mcp__v2__echo, the
#                gateway's client pinned to 2026-07-28), 16 in flight
# Sequential runs: SEQ_WARMUP untimed calls, then SEQ_CALLS timed; 16-way runs: CALLS (the v2 client also warms up
# with 2,000 untimed calls; the 1.x client's 16-way runs have no warm-up, as bench/mcp-stdio.sh).
# Prints each run's JSON summary, then per case the medians and the gateway/direct ratios per round.
# Usage: bench/gateway-stdio.sh [ROUNDS=5] [CALLS=20000] [SEQ_CALLS=5000] [SEQ_WARMUP=2000]
# (needs host/target/toolhost-all.jar and it/peers with node_modules)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
CALLS=${2:-20000}
SEQ_CALLS=${3:-5000}
SEQ_WARMUP=${4:-2000}
PEERS="$ROOT/it/peers"
EVERYTHING="$PEERS/node_modules/.bin/mcp-server-everything"
V2="node $PEERS/scripts/v2-server.mjs stdio --modern-only"
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
cat > "$HOME_DIR/config.toml" <<EOF
[mcp_servers.everything]
command = "$EVERYTHING"

[mcp_servers.v2]
command = "node"
args = ["$PEERS/scripts/v2-server.mjs", "stdio", "--modern-only"]
protocol = "2026-07-28"
EOF
export TOOLHOST_HOME="$HOME_DIR"
# The launcher's JVM flags on a copy of the jar (a rebuild during the runs would replace host/target's).
JAR="$HOME_DIR/toolhost-all.jar"
cp "$ROOT/host/target/toolhost-all.jar" "$JAR"
TOOLHOST="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData ${TOOLHOST_JAVA_OPTS:-} -jar $JAR"
OUT="$HOME_DIR/results.txt"
cd "$PEERS"
run() {
  case=$1; shift
  echo "$case $(cut -d' ' -f1-3 /proc/loadavg) $("$@" 2>/dev/null)" | tee -a "$OUT"
}
for r in $(seq "$ROUNDS"); do
  run seq-direct node scripts/mcp-load.mjs --concurrency 1 --warmup "$SEQ_WARMUP" --calls "$SEQ_CALLS" -- "$EVERYTHING"
  run seq-gateway node scripts/mcp-load.mjs --concurrency 1 --warmup "$SEQ_WARMUP" --calls "$SEQ_CALLS" \
      --tool mcp__everything__echo -- $TOOLHOST mcp-server --only everything
  run par-direct node scripts/mcp-load.mjs --calls "$CALLS" -- "$EVERYTHING"
  run par-gateway node scripts/mcp-load.mjs --calls "$CALLS" --tool mcp__everything__echo \
      -- $TOOLHOST mcp-server --only everything
  run mod-direct node scripts/mcp-load-v2.mjs --calls "$CALLS" --tool echo --args '{"message":"m"}' -- $V2
  run mod-gateway node scripts/mcp-load-v2.mjs --calls "$CALLS" --tool mcp__v2__echo --args '{"message":"m"}' \
      -- $TOOLHOST mcp-server --only v2
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs, order = {}, []
for line in open(sys.argv[1]):
    parts = line.split(' ', 4)
    case, load = parts[0], parts[1]
    try:
        r = json.loads(parts[4])
    except (ValueError, IndexError):
        print(f"{case}: no summary (load {load})")
        r = None
    runs.setdefault(case, []).append(r)
med = statistics.median
for case, rs in runs.items():
    good = [r for r in rs if r]
    bad = sum(r['calls'] - r['ok'] + r.get('duplicates', 0) for r in good)
    print(f"{case:12} median {med(r['callsPerSec'] for r in good):6.0f} calls/s"
          f"  p50 {med(r['p50Ms'] for r in good):.3f} ms"
          f"  p99 {med(r['p99Ms'] for r in good):.2f} ms  ({len(good)} runs; failed/duplicated calls {bad})"
          f"  p50s {[r['p50Ms'] for r in good]}  calls/s {[r['callsPerSec'] for r in good]}")
def pairs(a, b, f):
    return [f(x, y) for x, y in zip(runs.get(a, []), runs.get(b, [])) if x and y]
d = pairs('seq-direct', 'seq-gateway', lambda x, y: y['p50Ms'] - x['p50Ms'])
if d: print(f"sequential p50 gateway - direct per round: {[round(v, 3) for v in d]} ms, median {med(d):+.3f} ms")
for a, b in (('par-direct', 'par-gateway'), ('mod-direct', 'mod-gateway')):
    q = pairs(a, b, lambda x, y: y['callsPerSec'] / x['callsPerSec'])
    if q: print(f"{b}/{a} calls/s per round: {[round(v, 2) for v in q]}, median {med(q):.2f}")
PY
