#!/bin/sh
# Agent loop cost per round trip (model request over HTTP+SSE, tool call through the hub, result back),
# measured inside one `toolhost exec --json` run against a local scripted model (bench/agent-fake-model.py)
# that asks for N sequential exec_command {"cmd":"true","login":false} calls: the time from the turn.started
# line to the turn.completed line on stdout, divided by N+1 model requests. Also reports the whole process
# wall time (JVM start, config, hub start, turn). Build first: mvn -B -q -o -pl host -am install -DskipTests
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAR="$ROOT/host/target/toolhost-all.jar" N=${N:-50} RUNS=${RUNS:-3} PORT=${PORT:-18802}
python3 "$ROOT/bench/agent-fake-model.py" "$PORT" "$N" & MODEL=$!
trap 'kill $MODEL 2>/dev/null' EXIT
sleep 1
python3 - <<'PY'
import os, subprocess, tempfile, time
jar, n, runs, port = os.environ["JAR"], int(os.environ["N"]), int(os.environ["RUNS"]), os.environ["PORT"]
for run in range(1, runs + 1):
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(tmp + "/work")
        cmd = ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "exec", "--json",
               "-c", 'model_provider="b"', "-c", 'model="bench"',
               "-c", 'model_providers.b.base_url="http://127.0.0.1:%s/v1"' % port,
               "-c", 'model_providers.b.wire_api="responses"', "-a", "never", "-s", "danger-full-access",
               "-C", tmp + "/work", "go"]
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=dict(os.environ, TOOLHOST_HOME=tmp))
        marks = {}
        for line in p.stdout:
            for t in ("turn.started", "turn.completed"):
                if '"type":"%s"' % t in line:
                    marks[t] = time.monotonic()
        p.wait()
        wall = time.monotonic() - start
        assert p.returncode == 0 and len(marks) == 2, (p.returncode, marks)
        turn = marks["turn.completed"] - marks["turn.started"]
        print("run %d: %d tool calls, turn %.0f ms, %.1f ms per round trip, process wall %.0f ms"
              % (run, n, turn * 1000, turn * 1000 / (n + 1), wall * 1000))
PY
