#!/usr/bin/env python3
"""Crash consistency of the daemon under SIGKILL (issue 12), driven by scripts/crash-test.sh.

Serves the 2022 headline history on loopback with the corpus's replay server (virtual time running
SPEED x real time), runs `dyadwatch run` on it with a simulated clock started at the server's
virtual now, and kills it with SIGKILL at a random moment (start-up, polls, analysis, alert
delivery alike), KILLS times. After every kill it opens the state database and checks:
  - PRAGMA integrity_check is ok;
  - nothing committed was lost: every entry stored before is still stored, and every item of the
    snapshot whose ETag each feed has committed is stored;
  - nothing is stored twice: one row per (feed, guid).
At the end it runs the daemon once more until the alert outbox is delivered, stops it with SIGTERM
(exit 0) and checks additionally: every entry analyzed once; every alert of the outbox in
alerts.jsonl exactly once and in alerts.log exactly once (the two files in step).
Prints one summary line; exit status 0 when every check held.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

OUTLETS = ["globaltimes", "xinhua", "chinadaily"]


def fail(message: str) -> None:
    print(f"crash-test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def snapshot_guids(feeds_dir: Path, outlet: str, etag: str) -> set[str]:
    name = etag.strip('"')
    root = ET.parse(feeds_dir / outlet / name).getroot()
    return {g.text.strip() for g in root.iter("guid") if g.text}


def write_config(path: Path, port: int) -> None:
    feeds = "".join(
        f'\n[[feed]]\nid = "{o}"\nname = "{o} (2022 replay)"\nurl = "http://127.0.0.1:{port}/{o}.xml"\n'
        f'outlet = "{o}"\ngroup = "cn-state"\ncountry = "CN"\nlanguage = "en"\n'
        for o in OUTLETS)
    path.write_text(
        '[daemon]\nstate_dir = "state"\nlog_dir = "logs"\ntrends_dir = "trends"\ninterval = "6h"\n'
        'concurrency = 3\nper_host_concurrency = 3\nlog_level = "info"\nstale_after = "365d"\n'
        '\n[detectors]\ngranularity = "day"\nwarmup_buckets = 7\nclose_delay = "1d"\n'
        '\n[detectors.volume]\nmetrics = ["dyad", "russia"]\nmin_count = 4\n'
        '\n[alerts]\ncooldown = "72h"\n' + feeds, encoding="utf-8")


class Checker:
    def __init__(self, db: Path, feeds_dir: Path) -> None:
        self.db = db
        self.feeds_dir = feeds_dir
        self.stored: set[tuple[str, str]] = set()        # (feed, guid) seen stored after some kill
        self.committed: set[tuple[str, str]] = set()     # items of committed snapshots

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db, timeout=30)

    def check(self, label: str) -> int:
        if not self.db.exists():
            return 0  # killed before the database was created
        with self.connect() as con:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                fail(f"{label}: integrity_check: {integrity}")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "entries" not in tables:
                return 0
            rows = con.execute("SELECT feed_id, guid FROM entries").fetchall()
            now = {(f, g) for f, g in rows}
            if len(now) != len(rows):
                fail(f"{label}: {len(rows) - len(now)} entries stored twice")
            lost = self.stored - now
            if lost:
                fail(f"{label}: {len(lost)} stored entries disappeared, e.g. {sorted(lost)[:3]}")
            for feed, etag in con.execute("SELECT id, etag FROM feeds WHERE etag IS NOT NULL"):
                items = {(feed, g) for g in snapshot_guids(self.feeds_dir, feed, etag)}
                missing = items - now
                if missing:
                    fail(f"{label}: feed {feed} committed snapshot {etag} but {len(missing)} of its items are not stored")
                self.committed |= items
            self.stored = now
            return len(now)

    def final(self, logs: Path) -> dict:
        with self.connect() as con:
            entries = con.execute("SELECT count(*) FROM entries").fetchone()[0]
            analyzed = con.execute(
                "SELECT count(*) FROM entries JOIN trends_analysis ON trends_analysis.entry_id = entries.id").fetchone()[0]
            orphans = con.execute(
                "SELECT count(*) FROM trends_analysis WHERE entry_id NOT IN (SELECT id FROM entries)").fetchone()[0]
            outbox = con.execute("SELECT id, log_done, jsonl_done FROM alerts_outbox").fetchall()
        if analyzed != entries or orphans:
            fail(f"final: {entries} entries but {analyzed} analyses ({orphans} without an entry)")
        if not self.committed <= self.stored:
            fail(f"final: {len(self.committed - self.stored)} items of committed snapshots missing")
        undelivered = [i for i, log_done, jsonl_done in outbox if not (log_done and jsonl_done)]
        if undelivered:
            fail(f"final: {len(undelivered)} alerts not delivered: {undelivered[:3]}")
        ids = {i for i, _, _ in outbox}
        jsonl_path, log_path = logs / "alerts.jsonl", logs / "alerts.log"
        jsonl = [json.loads(l)["id"] for l in jsonl_path.read_text(encoding="utf-8").splitlines() if l.strip()] \
            if jsonl_path.exists() else []
        log = [l.rsplit(" id=", 1)[1].strip() for l in log_path.read_text(encoding="utf-8").splitlines() if " id=" in l] \
            if log_path.exists() else []
        for name, got in (("alerts.jsonl", jsonl), ("alerts.log", log)):
            if len(got) != len(set(got)):
                fail(f"final: {name} has {len(got) - len(set(got))} duplicate alerts")
            if set(got) != ids:
                fail(f"final: {name} has {len(set(got) - ids)} alerts not in the outbox and misses {len(ids - set(got))}")
        return {"entries": entries, "alerts": len(ids)}


def server_now(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_clock", timeout=10) as r:
        return json.load(r)["now"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--speed", type=float, default=43200, help="virtual seconds per real second")
    ap.add_argument("--max-delay", type=float, default=4.0, help="longest run before a kill, real seconds")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    feeds_dir = args.corpus / "feeds"

    work = Path(tempfile.mkdtemp(prefix="dyadwatch-crash."))
    server = subprocess.Popen(
        [sys.executable, str(args.corpus / "replay_server.py"), "--port", "0", "--quiet",
         "--start", "2022-02-19T00:00:00Z", "--speed", str(args.speed)],
        stdout=subprocess.PIPE, text=True)
    daemon = None
    try:
        port = int(server.stdout.readline().split("http://127.0.0.1:")[1].split("/")[0])
        config = work / "feeds.conf"
        write_config(config, port)
        checker = Checker(work / "state" / "dyadwatch.sqlite", feeds_dir)
        env = dict(os.environ, DYADWATCH_CLOCK_SCALE=str(args.speed), SWIFT_BACKTRACE="enable=no")
        for key in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "DYADWATCH_FAULT", "DYADWATCH_CONFIG"):
            env.pop(key, None)
        phases = {"before start-up finished": 0, "while running": 0}
        last_count = 0
        for k in range(1, args.kills + 1):
            env["DYADWATCH_CLOCK_START"] = server_now(port)
            log_path = work / f"daemon-{k}.log"
            with open(log_path, "w") as log:
                daemon = subprocess.Popen([args.bin, "run", "--config", str(config)], stdout=log, stderr=log,
                                          stdin=subprocess.DEVNULL, env=env)
            time.sleep(rng.uniform(0.05, args.max_delay))
            if daemon.poll() is not None:
                fail(f"run {k}: the daemon exited by itself with status {daemon.returncode}: {log_path.read_text()[-2000:]}")
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
            daemon = None
            phases["while running" if "msg=started" in log_path.read_text() else "before start-up finished"] += 1
            last_count = checker.check(f"after kill {k}")
        # A last, clean run: deliver what is pending, then stop.
        env["DYADWATCH_CLOCK_START"] = server_now(port)
        log_path = work / "daemon-final.log"
        with open(log_path, "w") as log:
            daemon = subprocess.Popen([args.bin, "run", "--config", str(config)], stdout=log, stderr=log,
                                      stdin=subprocess.DEVNULL, env=env)
        time.sleep(12)  # start-up, a poll of every feed, one maintenance pass (10 s) delivering the outbox
        daemon.send_signal(signal.SIGTERM)
        status = daemon.wait(timeout=30)
        daemon = None
        if status != 0:
            fail(f"final run exited with {status}: {log_path.read_text()[-2000:]}")
        checker.check("after the final run")
        summary = checker.final(work / "logs")
        virtual_end = server_now(port)
        print(f"crash-test: PASS: {args.kills} SIGKILLs (seed {seed}; {phases['before start-up finished']} during start-up, "
              f"{phases['while running']} while running), virtual time 2022-02-19 -> {virtual_end[:10]}; "
              f"{summary['entries']} entries (each once, all analyzed; {last_count} stored at the last kill), "
              f"{len(checker.committed)} items of committed snapshots all stored, {summary['alerts']} alerts each once in "
              f"alerts.jsonl and alerts.log; integrity_check ok after every kill")
        return 0
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
        server.terminate()
        server.wait()
        if args.keep:
            print(f"crash-test: work directory kept: {work}", file=sys.stderr)
        else:
            import shutil
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
