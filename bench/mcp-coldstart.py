"""Cold start of a stdio MCP server: wall time from spawning it to the tools/list response.

Sends initialize, notifications/initialized and tools/list at once (as clients do right after
spawning) and stops the clock at the second response line. Usage:
    python3 bench/mcp-coldstart.py RUNS COMMAND ARGS...
Prints the median, min and max over RUNS runs.
"""
import os
import statistics
import subprocess
import sys
import time

HANDSHAKE = (b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
             b'"capabilities":{},"clientInfo":{"name":"coldstart","version":"1"}}}\n'
             b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
             b'{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}\n')


def main():
    runs, cmd = int(sys.argv[1]), sys.argv[2:]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        p.stdin.write(HANDSHAKE)
        p.stdin.flush()
        answered = 0
        while answered < 2:
            line = p.stdout.readline()
            if not line:
                sys.exit("the server exited before answering tools/list: " + " ".join(cmd))
            answered += 1
        times.append((time.perf_counter() - t0) * 1000)
        p.stdin.close()
        p.wait()
    print("median %.0f ms, min %.0f ms, max %.0f ms over %d runs" % (statistics.median(times), min(times), max(times), runs))


if __name__ == "__main__":
    main()
