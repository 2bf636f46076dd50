#!/usr/bin/env python3
"""Times `dyadwatch parse --jsonl` and feedparser (through the eval adapter) on the same files.

Both are run as one process over all files with output to a temporary file (a pipe read by
this script would time the reader too), so both pay process start-up once and JSON encoding
per file. The best run of each side counts
(least disturbed by other work on the machine): feedparser runs --runs times; dyadwatch, whose
run is ~40x shorter and so far more exposed to a burst of other work, runs max(--runs, 5) times
before and as many times after the feedparser runs. Also checks that both printed one line per file.
Standard library only.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for d, _, names in os.walk(p):
                files += [os.path.join(d, n) for n in names if n.endswith((".xml", ".rss", ".atom", ".json")) and n != "index.json"]
        elif os.path.isfile(p):
            files.append(p)
    return sorted(files)


def run(cmd, files):
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.run(cmd + ["--jsonl"] + files, stdout=out, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        lines = sum(1 for ln in out if ln.strip())
    if lines != len(files):
        sys.exit("bench-parse: %s printed %d lines for %d files (exit %d): %s"
                 % (cmd[0], lines, len(files), p.returncode, p.stderr.decode(errors="replace")[-500:]))
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dyadwatch", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    files = collect(a.inputs)
    if not files:
        sys.exit("bench-parse: no feed files found")
    total = sum(os.path.getsize(f) for f in files)
    mb = total / 1e6
    runs = max(1, a.runs)
    ours_runs = max(runs, 5)
    ours_before = [run([a.dyadwatch, "parse"], files) for _ in range(ours_runs)]
    peer = min(run([a.python, a.adapter], files) for _ in range(runs))
    ours_after = [run([a.dyadwatch, "parse"], files) for _ in range(ours_runs)]
    ours = min(ours_before + ours_after)
    print("files:       %d (%.2f MB)" % (len(files), mb))
    print("dyadwatch:   %.3f s  %8.2f MB/s  %8.1f files/s" % (ours, mb / ours, len(files) / ours))
    print("feedparser:  %.3f s  %8.2f MB/s  %8.1f files/s" % (peer, mb / peer, len(files) / peer))
    print("ratio:       %.1fx (dyadwatch throughput / feedparser throughput)" % (peer / ours))


if __name__ == "__main__":
    main()
