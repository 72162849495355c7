#!/usr/bin/env bash
# Hub benchmarks: per-call overhead of the hub vs a direct SDK client, and parallel start of ten
# stdio servers. Needs the shaded jar (mvn -B -q -o -pl host -am install -DskipTests) and the npm
# peers in it/peers. Results go in docs/benchmarks.md, section "## Hub".
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=host/target/toolhost-all.jar
EVERYTHING=$PWD/it/peers/node_modules/.bin/mcp-server-everything
# The slow server runs on a real interpreter binary: a version-manager shim (pyenv's python3 is a bash
# script forking several processes) costs ~0.13 s of CPU per start, and ten of those fight over the cores,
# which measures the shim rather than the hub. Debian's /usr/bin/python3 when there is one; PYTHON overrides.
if [ -z "${PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=$(python3 -c 'import sys; print(sys.executable)'); fi
fi
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$JAR" bench/HubBench.java "$EVERYTHING" \
  "$PWD/bench/hub-slow-server.py" "$PYTHON"
