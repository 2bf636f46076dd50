#!/usr/bin/env python3
"""Helper of scripts/bench-extract.sh: F1 of dyadwatch and trafilatura from the shared scorer in
the same run, then end-to-end wall-clock times of both over the same unpacked pages (each a new
process that reads every page and writes one JSON line per page), median of N alternating runs."""
import argparse, gzip, json, resource, statistics, subprocess, sys, tempfile, time
from pathlib import Path

PEER = r"""
import json, sys, trafilatura
out = sys.stdout
for f in sys.argv[1:]:
    with open(f, "rb") as fh:
        text = trafilatura.extract(fh.read()) or ""
    out.write(json.dumps({"file": f, "text": text}) + "\n")
"""


def score(scorer, data, extra, python=sys.executable):
    out = subprocess.run([python, str(scorer), "--dir", str(data)] + extra, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"scorer failed: {out.stderr[-800:]}")
    return out.stdout.strip().splitlines()[-1]


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd):
    c0, t0 = cpu(), time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs, cpus = time.perf_counter() - t0, cpu() - c0
    if out.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({out.returncode}): {out.stderr.decode(errors='replace')[-500:]}")
    return secs, cpus, out.stdout.count(b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--dyadwatch", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    scorer = a.data.parent / "extraction_score.py"

    print("F1 on the development pages (shared scorer, same run):")
    print("  dyadwatch:   " + score(scorer, a.data, ["--cmd", f"{a.dyadwatch} extract --jsonl"]))
    print("  trafilatura: " + score(scorer, a.data, ["--peer", "trafilatura"], python=a.python))

    truth = json.loads((a.data / "ground-truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k in sorted(truth):
            f = Path(tmp) / f"{k}.html"
            f.write_bytes(gzip.decompress((a.data / "html" / f"{k}.html.gz").read_bytes()))
            files.append(str(f))
        ours, peer, ours_cpu, peer_cpu = [], [], [], []
        for _ in range(a.runs):  # alternate, so both see the same machine load
            s, c, n = timed([a.dyadwatch, "extract", "--jsonl"] + files)
            assert n == len(files), f"dyadwatch wrote {n} lines for {len(files)} pages"
            ours.append(s); ours_cpu.append(c)
            s, c, n = timed([a.python, "-c", PEER] + files)
            assert n == len(files), f"trafilatura wrote {n} lines for {len(files)} pages"
            peer.append(s); peer_cpu.append(c)
    mo, mp = statistics.median(ours), statistics.median(peer)
    co, cp = statistics.median(ours_cpu), statistics.median(peer_cpu)
    print(f"End to end, {len(files)} pages, median of {a.runs} alternating runs (process start, read, JSON lines out):")
    print(f"  dyadwatch extract --jsonl: {mo:.3f} s wall, {co:.3f} s CPU")
    print(f"  trafilatura 2.3 (python):  {mp:.3f} s wall, {cp:.3f} s CPU")
    print(f"  ratio: trafilatura takes {mp / mo:.1f}x the wall-clock time and {cp / co:.1f}x the CPU time of dyadwatch")


if __name__ == "__main__":
    main()
