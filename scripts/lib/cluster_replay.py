#!/usr/bin/env python3
"""The 2022 headline history served live to daemons, stepped in lockstep: three daemons on one
PostgreSQL database against one daemon on SQLite, same input; their alerts must be identical.

Run through scripts/cluster-test.sh (it starts PostgreSQL and builds the binary). Input: the
corpus's own replay server (../shared/corpus/headlines-2022/replay_server.py), imported and run
here with its virtual clock frozen, each outlet on its own loopback address. The daemons run on a
file clock (DYADWATCH_CLOCK_FILE) that this script writes, and judge buckets every 0.2 s
(DYADWATCH_MAINTENANCE_INTERVAL). For every snapshot time t, in order:
  A. the clock moves to t - 70 s with the server still on the previous snapshot (the feeds are
     due again: interval 1 min + at most 10 % jitter), so buckets that close before t are judged
     on what was already stored (skipped when the previous step is less than 136 s back);
  B. the server and the clock move to t: the new snapshot is polled, stored, analyzed, judged.
A phase ends when every feed's poll at its time is stored (feeds.last_attempt), every stored
entry is analyzed (trends_analysis has its revision) and a judging round ran at that time
(trends_state files.current_hour). Polls, analysis and judging thus see the same input in the
same order in both runs, however the work is spread over the three daemons; the one order the
steps cannot fix, a judging round between B's clock move and its entries, needs a bucket to close
inside (t - 70 s, t]: such steps are counted and printed. At the end the clock moves three days on
so every bucket is judged, the daemons stop (SIGTERM) and their alert files are compared: the
alerts.jsonl records without `detected_at` (when a bucket was judged depends on which daemon's
round got there first), and the alerts.log lines without their leading detection time.
"""
import argparse
import datetime as dt
import http.server
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

UTC = dt.timezone.utc


def load_replay_server(corpus):
    spec = importlib.util.spec_from_file_location("replay_server", os.path.join(corpus, "replay_server.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def iso(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Database:
    """The few reads the driver needs, on SQLite (file) or PostgreSQL (psql)."""

    def __init__(self, sqlite_path=None, pg=None):
        self.sqlite_path, self.pg = sqlite_path, pg

    def query(self, sql):
        if self.pg:
            r = subprocess.run(["psql", self.pg, "-tAF", "\t", "-c", sql], capture_output=True, text=True)
            if r.returncode != 0:
                return []      # tables not created yet (the first daemon migrates)
            return [line.split("\t") for line in r.stdout.splitlines() if line]
        if not os.path.exists(self.sqlite_path):
            return []
        con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=5)
        try:
            return [[str(v) for v in row] for row in con.execute(sql)]
        except sqlite3.OperationalError:
            return []      # tables not created yet
        finally:
            con.close()

    def oldest_attempt(self):
        """Seconds since the epoch of the least recent poll over all feeds (None before every feed has one)."""
        if self.pg:
            sql = "SELECT COUNT(*), FLOOR(MIN(EXTRACT(EPOCH FROM last_attempt)))::bigint, COUNT(last_attempt) FROM feeds"
        else:
            sql = "SELECT COUNT(*), MIN(CAST(strftime('%s', last_attempt) AS INTEGER)), COUNT(last_attempt) FROM feeds"
        rows = self.query(sql)
        if not rows or rows[0][0] in ("", "0") or rows[0][0] != rows[0][2]:
            return None
        return int(rows[0][1])

    def judged_hour(self):
        """The hour of the last judging round (seconds since the epoch), None before any."""
        rows = self.query("SELECT value FROM trends_state WHERE key = 'files.current_hour'")
        return int(float(rows[0][0])) if rows else None

    def unanalyzed(self):
        rows = self.query("SELECT COUNT(*) FROM entries e LEFT JOIN trends_analysis a ON a.entry_id = e.id "
                          "WHERE a.entry_id IS NULL OR a.revision < e.revision")
        return int(rows[0][0]) if rows else -1

    def count(self, table):
        rows = self.query(f"SELECT COUNT(*) FROM {table}")
        return int(rows[0][0]) if rows else 0


def write_clock(path, t):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(iso(t) + "\n")
    os.replace(tmp, path)


def write_config(path, node, work, urls, pg):
    with open(path, "w") as f:
        f.write(f'[daemon]\nstate_dir = "{work}/{node}/state"\nlog_dir = "{work}/{node}/logs"\n'
                f'trends_dir = "{work}/{node}/trends"\ninterval = "1m"\nuser_agent = "dyadwatch-{node}"\n'
                f'stale_after = "30d"\nlog_level = "warning"\n\n')
        if pg:
            f.write(f'[storage]\nurl = "{pg}"\ntls = "disable"\nnode = "{node}"\nlease = "20s"\n\n')
        # The replay configuration's detectors and alerts, feeds pointed at the loopback server.
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "replay-2022.conf")) as conf:
            text = conf.read()
        for slug, url in urls.items():
            text = text.replace(f'url = "https://example.invalid/{slug}/"', f'url = "{url}"')
        f.write(text)


PHASE_A = dt.timedelta(seconds=70)     # interval 60 s + 10 % jitter, rounded up
DAY = 86_400
CLOSE_DELAY = DAY                       # examples/replay-2022.conf: day buckets, close_delay 1d


def closes_within(lo, hi):
    """Whether a day bucket becomes closable in (lo, hi] (end of day + close delay)."""
    first = (int(lo.timestamp()) - CLOSE_DELAY) // DAY + 1
    return first * DAY + CLOSE_DELAY <= int(hi.timestamp())


def run(label, binary, nodes, work, urls, pg, times, rs_clock, timeout):
    """Starts the daemons, steps them through `times`, stops them; returns (alerts, seconds, steps waited)."""
    clock_file = os.path.join(work, f"{label}.clock")
    db = Database(pg=pg) if pg else Database(sqlite_path=os.path.join(work, nodes[0], "state", "dyadwatch.sqlite"))
    start_time = times[0] - dt.timedelta(hours=1)
    write_clock(clock_file, start_time)
    rs_clock.set(start_time)
    env = dict(os.environ, DYADWATCH_CLOCK_FILE=clock_file, DYADWATCH_MAINTENANCE_INTERVAL="0.2")
    procs = {}
    for n in nodes:
        os.makedirs(os.path.join(work, n), exist_ok=True)
        write_config(os.path.join(work, n, "feeds.conf"), n, work, urls, pg)
        procs[n] = subprocess.Popen([binary, "run", "--config", os.path.join(work, n, "feeds.conf")],
                                    stdout=open(os.path.join(work, n, "daemon.log"), "w"), stderr=subprocess.STDOUT, env=env)
    try:
        return drive(label, procs, db, work, nodes, clock_file, start_time, times, rs_clock, timeout)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()


def drive(label, procs, db, work, nodes, clock_file, start_time, times, rs_clock, timeout):
    began = time.monotonic()

    def settle(t):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for n, p in procs.items():
                if p.poll() is not None:
                    sys.exit(f"{label}: {n} exited with {p.returncode}:\n" + open(os.path.join(work, n, "daemon.log")).read()[-3000:])
            oldest = db.oldest_attempt()
            if oldest is not None and oldest >= int(t.timestamp()) and db.unanalyzed() == 0:
                hour = db.judged_hour()
                if hour is not None and hour >= int(t.timestamp()) // 3600 * 3600:
                    return
            time.sleep(0.02)
        sys.exit(f"{label}: the daemons did not poll and analyze the step at {iso(t)} within {timeout} s")

    settle(start_time)
    previous, racy = start_time, 0
    for i, t in enumerate(times):
        if t - previous >= 2 * PHASE_A - dt.timedelta(seconds=4):
            write_clock(clock_file, t - PHASE_A)
            settle(t - PHASE_A)
            racy += closes_within(t - PHASE_A, t)
        else:
            racy += closes_within(previous, t)
        rs_clock.set(t)
        write_clock(clock_file, t)
        settle(t)
        previous = t
        if (i + 1) % 100 == 0:
            print(f"   {label}: {i + 1}/{len(times)} steps, {time.monotonic() - began:.0f} s", flush=True)
    # Every bucket closes: the daemons' maintenance round (every 10 s) judges them.
    end = times[-1] + dt.timedelta(days=3)
    rs_clock.set(end)
    write_clock(clock_file, end)
    settle(end)
    for p in procs.values():
        p.send_signal(signal.SIGTERM)
    for n, p in procs.items():
        if p.wait(timeout=60) != 0:
            sys.exit(f"{label}: {n} stopped with {p.returncode}")
    seconds = time.monotonic() - began
    jsonl, log = [], []
    for n in nodes:
        path = os.path.join(work, n, "logs", "alerts.jsonl")
        if os.path.exists(path):
            jsonl += [json.loads(line) for line in open(path) if line.strip()]
        path = os.path.join(work, n, "logs", "alerts.log")
        if os.path.exists(path):
            log += [line.rstrip("\n") for line in open(path) if line.strip()]
    return {"jsonl": jsonl, "log": log, "entries": db.count("entries"), "analyses": db.count("trends_analysis"),
            "outbox": db.count("alerts_outbox"), "seconds": seconds, "racy": racy}


def normalized(result):
    records = []
    for r in result["jsonl"]:
        r = {k: v for k, v in r.items() if k not in ("detected_at", "detectedAt")}
        records.append(json.dumps(r, sort_keys=True))
    # An alerts.log line starts with the detection time.
    lines = [line.split(" ", 1)[1] if " " in line else line for line in result["log"]]
    return sorted(records), sorted(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--pg", required=True, help="postgresql:// URL of an empty database")
    p.add_argument("--corpus", required=True, help="the headlines-2022 folder")
    p.add_argument("--until", default="2022-09-08", help="replay snapshots before this date (default: all)")
    p.add_argument("--step-timeout", type=float, default=120)
    args = p.parse_args()

    rs = load_replay_server(args.corpus)
    snapshots = rs.Snapshots(rs.Path(args.corpus) / "feeds")
    rs_clock = rs.VirtualClock(snapshots.first_time(), 0.0)
    until = rs.parse_time(args.until)
    index = json.load(open(os.path.join(args.corpus, "feeds", "index.json")))
    times = sorted({rs.parse_time(s["time"]) for o in index["outlets"].values()
                    for s in (o["snapshots"] if isinstance(o, dict) else o) if rs.parse_time(s["time"]) < until})
    handler = rs.make_handler(snapshots, rs_clock, True)
    slugs = sorted(index["outlets"])
    first = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = first.server_address[1]
    servers = [first] + [http.server.ThreadingHTTPServer((f"127.0.0.{2 + i}", port), handler) for i in range(len(slugs) - 1)]
    for s in servers:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    # One loopback address per outlet: no per-host spacing between the feeds.
    urls = {slug: f"http://127.0.0.{1 + i}:{port}/{slug}.xml" for i, slug in enumerate(slugs)}

    with tempfile.TemporaryDirectory(prefix="dyadwatch-replay-") as work:
        print(f"{len(times)} snapshot times from {iso(times[0])} to {iso(times[-1])}, {len(slugs)} feeds", flush=True)
        single = run("sqlite", args.binary, ["single"], work, urls, None, times, rs_clock, args.step_timeout)
        cluster = run("postgresql", args.binary, ["node-1", "node-2", "node-3"], work, urls, args.pg, times, rs_clock,
                      args.step_timeout)
        for s in servers:
            s.shutdown()
        a_json, a_log = normalized(single)
        b_json, b_log = normalized(cluster)
        ids_a = [r["id"] for r in single["jsonl"]]
        ids_b = [r["id"] for r in cluster["jsonl"]]
        print(f"one daemon on SQLite:       {single['entries']} entries, {single['analyses']} analyses, "
              f"{len(ids_a)} alerts delivered, {single['outbox']} in the outbox ({single['seconds']:.0f} s)")
        print(f"three daemons on PostgreSQL: {cluster['entries']} entries, {cluster['analyses']} analyses, "
              f"{len(ids_b)} alerts delivered, {cluster['outbox']} in the outbox ({cluster['seconds']:.0f} s)")
        for r in sorted(single["jsonl"], key=lambda r: r["id"]):
            print(f"   {r['id']}")
        twice = len(ids_b) - len(set(ids_b))
        same_json = a_json == b_json
        same_log = a_log == b_log
        print(f"alert ids delivered twice across the three daemons: {twice}")
        print(f"steps where a bucket closes between the clock move and the new entries (order not fixed): {single['racy']}")
        print(f"alerts.jsonl records identical (without detected_at): {'yes' if same_json else 'NO'}")
        print(f"alerts.log lines identical (without the detection time): {'yes' if same_log else 'NO'}")
        if not same_json:
            for x in sorted(set(a_json) ^ set(b_json))[:6]:
                print(f"   only in {'SQLite' if x in a_json else 'PostgreSQL'}: {x[:300]}")
        ok = same_json and same_log and twice == 0 and single["entries"] == cluster["entries"] and \
            single["analyses"] == single["entries"] and cluster["analyses"] == cluster["entries"] and len(ids_a) > 0
        print(f"replay comparison: {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
