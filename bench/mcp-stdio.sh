#!/bin/sh
# Issue #8 benchmark: 16-way concurrent tools/call over stdio from the TypeScript SDK client,
# 20,000 calls per run, ROUNDS interleaved rounds of:
#   (a) mcp-server-everything directly (echo)
#   (b) toolhost mcp-server --only builtin (update_plan, a cheap built-in tool)
#   (c) toolhost mcp-server as a gateway in front of mcp-server-everything (mcp__everything__echo)
# Prints each run's JSON summary and, per case, the median calls/s, p50 and p99.
# Usage: bench/mcp-stdio.sh [ROUNDS=5] [CALLS=20000]   (needs host/target/toolhost-all.jar and it/peers)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
CALLS=${2:-20000}
PEERS="$ROOT/it/peers"
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
printf '[mcp_servers.everything]\ncommand = "%s"\n' "$PEERS/node_modules/.bin/mcp-server-everything" > "$HOME_DIR/config.toml"
export TOOLHOST_HOME="$HOME_DIR"
# The launcher's JVM flags, run directly on a copy of the jar: ./toolhost would rebuild first whenever a
# source is newer than the jar, and a rebuild during the runs would replace it. (Start-up is not part of
# the timing, which begins after the handshake, so the AppCDS archive is not used.)
JAR="$HOME_DIR/toolhost-all.jar"
cp "$ROOT/host/target/toolhost-all.jar" "$JAR"
TOOLHOST="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData $TOOLHOST_JAVA_OPTS -jar $JAR"
OUT="$HOME_DIR/results.txt"
cd "$PEERS"
for r in $(seq "$ROUNDS"); do
  echo "a $(node scripts/mcp-load.mjs --calls "$CALLS" -- node_modules/.bin/mcp-server-everything 2>/dev/null)" | tee -a "$OUT"
  echo "b $(node scripts/mcp-load.mjs --calls "$CALLS" --tool update_plan --args '{"explanation":"bench"}' \
      -- $TOOLHOST mcp-server --only builtin)" | tee -a "$OUT"
  echo "c $(node scripts/mcp-load.mjs --calls "$CALLS" --tool mcp__everything__echo \
      -- $TOOLHOST mcp-server --only everything 2>/dev/null)" | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = {}
failed_runs = 0
for line in open(sys.argv[1]):
    case, _, js = line.partition(' ')
    try:
        runs.setdefault(case, []).append(json.loads(js))
    except ValueError:
        failed_runs += 1
if failed_runs:
    print(f"{failed_runs} run(s) printed no summary (see the lines above)")
names = {'a': '(a) server-everything directly', 'b': '(b) toolhost built-in server',
         'c': '(c) toolhost gateway -> server-everything'}
for case in sorted(runs):
    rs = runs[case]
    bad = sum(r['calls'] - r['ok'] + r['duplicates'] for r in rs)
    print(f"{names[case]}: median {statistics.median(r['callsPerSec'] for r in rs):.0f} calls/s, "
          f"p50 {statistics.median(r['p50Ms'] for r in rs):.2f} ms, p99 {statistics.median(r['p99Ms'] for r in rs):.2f} ms"
          f" over {len(rs)} runs; failed or duplicated calls: {bad}")
PY
