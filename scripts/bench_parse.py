#!/usr/bin/env python3
"""Times `dyadwatch parse --jsonl` and feedparser (through the eval adapter) on the same files.

Both are run as one process over all files with output to a temporary file (a pipe read by
this script would time the reader too), so both pay process start-up once and JSON encoding
per file. Two figures per side:
- CPU time: user+sys of the child process (wait4 rusage), i.e. the single-core equivalent work.
  dyadwatch parses files on all cores and feedparser on one, so this is the fair, load-robust
  ratio (it does not depend on how many cores are free).
- wall time: elapsed seconds, what a user waits for (dyadwatch gains from a second core).
The best run of each side counts for each figure (least disturbed by other work on the
machine): feedparser runs --runs times; dyadwatch, whose run is far shorter and so more exposed
to a burst of other work, runs max(--runs, 5) times before and as many times after the
feedparser runs. Also checks that both printed one line per file. Standard library only.
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
    """Runs cmd once; returns (wall seconds, CPU seconds = user + sys of the child)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd + ["--jsonl"] + files, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = sum(1 for ln in out if ln.strip())
        err.seek(0)
        errtext = err.read().decode(errors="replace")
    if lines != len(files):
        sys.exit("bench-parse: %s printed %d lines for %d files (exit %d): %s"
                 % (cmd[0], lines, len(files), p.returncode, errtext[-500:]))
    return elapsed, usage.ru_utime + usage.ru_stime


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
    peer_runs = [run([a.python, a.adapter], files) for _ in range(runs)]
    ours_after = [run([a.dyadwatch, "parse"], files) for _ in range(ours_runs)]
    ours_wall = min(w for w, _ in ours_before + ours_after)
    ours_cpu = min(c for _, c in ours_before + ours_after)
    peer_wall = min(w for w, _ in peer_runs)
    peer_cpu = min(c for _, c in peer_runs)
    print("files:       %d (%.2f MB)" % (len(files), mb))
    print("             %9s %9s %10s %10s" % ("CPU s", "wall s", "MB/CPU-s", "files/CPU-s"))
    for name, cpu, wall in (("dyadwatch", ours_cpu, ours_wall), ("feedparser", peer_cpu, peer_wall)):
        print("%-12s %9.3f %9.3f %10.2f %10.1f" % (name + ":", cpu, wall, mb / cpu, len(files) / cpu))
    print("CPU ratio:   %.1fx (feedparser CPU time / dyadwatch CPU time: single-core equivalent)"
          % (peer_cpu / ours_cpu))
    print("wall ratio:  %.1fx (feedparser elapsed / dyadwatch elapsed, dyadwatch on %d cores)"
          % (peer_wall / ours_wall, os.cpu_count() or 1))


if __name__ == "__main__":
    main()
