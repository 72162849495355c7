#!/bin/sh
# How close can any JVM between the client and server-everything get to the direct 16-way rate on this machine?
# Interleaved rounds of four 16-way stdio runs with the TS SDK 1.x client (it/peers/scripts/mcp-load.mjs, CALLS calls):
#   direct       -> server-everything
#   relay-raw    -> java StdioRelay raw  -> server-everything  (copies lines, nothing else)
#   relay-json   -> java StdioRelay json -> server-everything  (parses and re-serializes each line with Jackson)
#   gateway      -> toolhost mcp-server --only everything -> server-everything (mcp__everything__echo)
# Every JVM runs with the gateway's flags (bench/gateway-stdio.sh). Prints medians and each case's ratio to direct.
# Usage: bench/gateway-ceiling.sh [ROUNDS=5] [CALLS=20000]  (needs host/target/toolhost-all.jar and it/peers)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
CALLS=${2:-20000}
PEERS="$ROOT/it/peers"
EVERYTHING="$PEERS/node_modules/.bin/mcp-server-everything"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
printf '[mcp_servers.everything]\ncommand = "%s"\n' "$EVERYTHING" > "$WORK/config.toml"
export TOOLHOST_HOME="$WORK"
JAR="$WORK/toolhost-all.jar"
cp "$ROOT/host/target/toolhost-all.jar" "$JAR"
javac -cp "$JAR" -d "$WORK/classes" "$ROOT/bench/StdioRelay.java"
JAVA="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
OUT="$WORK/results.txt"
cd "$PEERS"
run() {
  case=$1; shift
  echo "$case $(cut -d' ' -f1-3 /proc/loadavg) $("$@" 2>/dev/null)" | tee -a "$OUT"
}
for r in $(seq "$ROUNDS"); do
  run direct node scripts/mcp-load.mjs --calls "$CALLS" -- "$EVERYTHING"
  run relay-raw node scripts/mcp-load.mjs --calls "$CALLS" -- $JAVA -cp "$JAR:$WORK/classes" StdioRelay raw "$EVERYTHING"
  run relay-json node scripts/mcp-load.mjs --calls "$CALLS" -- $JAVA -cp "$JAR:$WORK/classes" StdioRelay json "$EVERYTHING"
  run gateway node scripts/mcp-load.mjs --calls "$CALLS" --tool mcp__everything__echo \
      -- $JAVA -jar "$JAR" mcp-server --only everything
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    parts = line.split(' ', 4)
    try:
        runs.setdefault(parts[0], []).append(json.loads(parts[4]))
    except (ValueError, IndexError):
        runs.setdefault(parts[0], []).append(None)
direct = runs['direct']
for case, rs in runs.items():
    rates = [r['callsPerSec'] if r else None for r in rs]
    bad = sum(r['calls'] - r['ok'] for r in rs if r)
    line = f"{case:10} calls/s {rates}, median {statistics.median([x for x in rates if x]):.0f} (failed calls {bad})"
    if case != 'direct':
        q = [r['callsPerSec'] / d['callsPerSec'] for r, d in zip(rs, direct) if r and d]
        line += f"; ÷ direct per round {[round(x, 2) for x in q]}, median {statistics.median(q):.2f}"
    print(line)
PY
