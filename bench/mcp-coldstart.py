"""Cold start of stdio MCP servers: wall time from spawning each to its tools/list response.

Sends initialize, notifications/initialized and tools/list at once (as clients do right after
spawning) and stops the clock at the second response line. The cases run interleaved, one of each
per round in rotating order, so that load from other processes on a shared machine hits them alike.

Usage:
    python3 bench/mcp-coldstart.py RUNS 'LABEL::[VAR=VALUE ...] COMMAND ARGS...' ...
The first case is the reference: each other case is also given as the median of its per-round ratio
to it (both measured within the same round). CPU is user + system time of the whole process tree, up to
its exit at the end of input (so it includes shutting down). Prints a Markdown table and the load average
before and after.
"""
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time

HANDSHAKE = (b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
             b'"capabilities":{},"clientInfo":{"name":"coldstart","version":"1"}}}\n'
             b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
             b'{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}\n')


def parse_case(spec):
    label, _, command = spec.partition("::")
    words = shlex.split(command)
    env = {}
    while words and "=" in words[0] and not words[0].startswith("/"):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words:
        sys.exit("no command in case: " + spec)
    return label, words, {**os.environ, **env}


def cold_start(cmd, env):
    """Wall time to the tools/list answer, and CPU time of the whole process (to its exit at end of input), in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdin.write(HANDSHAKE)
    p.stdin.flush()
    answered = 0
    while answered < 2:
        line = p.stdout.readline()
        if not line:
            sys.exit("the server exited before answering tools/list: " + " ".join(cmd))
        answered += 1
    elapsed = (time.perf_counter() - t0) * 1000
    p.stdin.close()
    p.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return elapsed, cpu


def main():
    runs = int(sys.argv[1])
    cases = [parse_case(spec) for spec in sys.argv[2:]]
    for _, cmd, env in cases:  # warm-up: page cache, not measured
        cold_start(cmd, env)
    load_before = os.getloadavg()
    times = {label: [] for label, _, _ in cases}
    cpus = {label: [] for label, _, _ in cases}
    for r in range(runs):
        for label, cmd, env in cases[r % len(cases):] + cases[:r % len(cases)]:
            wall, cpu = cold_start(cmd, env)
            times[label].append(wall)
            cpus[label].append(cpu)
    load_after = os.getloadavg()
    reference = cases[0][0]
    print("| case (%d rounds, interleaved) | median | p10 | p90 | median of per-round ratio to %s | CPU (median) |"
          % (runs, reference))
    print("|---|---:|---:|---:|---:|---:|")
    for label, _, _ in cases:
        t = times[label]
        q = statistics.quantiles(t, n=10)
        ratio = statistics.median(a / b for a, b in zip(t, times[reference]))
        print("| %s | %.0f ms | %.0f ms | %.0f ms | %.2f | %.0f ms |"
              % (label, statistics.median(t), q[0], q[-1], ratio, statistics.median(cpus[label])))
    print("load average before: %.2f %.2f %.2f; after: %.2f %.2f %.2f" % (load_before + load_after))


if __name__ == "__main__":
    main()
