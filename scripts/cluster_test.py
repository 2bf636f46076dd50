#!/usr/bin/env python3
"""Three dyadwatch daemons on one PostgreSQL database, polling loopback feeds; one is killed.

Run through scripts/cluster-test.sh (it starts a throw-away PostgreSQL and builds the binary).
The feeds are served on 127.0.0.x by this script, which logs every request (time, feed, the
daemon's User-Agent); the figures come from that log and from the database:

  - per feed, the gaps between successive requests (any daemon): none may be shorter than the
    feed's interval (no feed polled twice within its interval, never by two daemons at once);
  - on schedule: the gaps are at most interval + 10 % jitter + scheduler slack, except for the
    feeds of the killed daemon, which must be taken over within two lease periods of being due;
  - entries: every served item stored exactly once (unique per feed and key), counted in SQL,
    and every stored entry analyzed once (one trends_analysis row each, at its revision): the
    first cycle's 6,000 entries are analyzed by each daemon's background queue, not in the polls;
  - the 1-minute load average, sampled every 10 s (the machine may be shared).
Exit status 1 when any of these fails.
"""
import argparse
import http.server
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("loopback_feeds", os.path.join(HERE, "loopback-feeds.py"))
loopback = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loopback)

REQUESTS = []            # (monotonic seconds, feed index, user agent, status)
REQUESTS_LOCK = threading.Lock()


class LoggingFeedHandler(loopback.FeedHandler):
    def send_response(self, code, message=None):
        path = self.path.split("?", 1)[0]
        if path.startswith("/feed/"):
            with REQUESTS_LOCK:
                REQUESTS.append((time.monotonic(), int(path[6:-4]), self.headers.get("User-Agent", ""), code))
        super().send_response(code, message)


def start_servers(feeds, hosts):
    loopback.FeedHandler = LoggingFeedHandler
    for i in range(feeds):
        body = loopback.feed_document(i)
        import hashlib
        LoggingFeedHandler.documents[f"/feed/{i}.xml"] = (body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    first = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LoggingFeedHandler)
    port = first.server_address[1]
    servers = [first] + [http.server.ThreadingHTTPServer((f"127.0.0.{h}", port), LoggingFeedHandler) for h in range(2, hosts + 1)]
    for s in servers:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    return servers, [f"http://127.0.0.{1 + i % hosts}:{port}/feed/{i}.xml" for i in range(feeds)]


def write_config(path, node, work, urls, args):
    with open(path, "w") as f:
        f.write(f'[daemon]\nstate_dir = "{work}/{node}/state"\nlog_dir = "{work}/{node}/logs"\n'
                f'trends_dir = "{work}/{node}/trends"\ninterval = "{args.interval}s"\nuser_agent = "dyadwatch-{node}"\n\n'
                f'[storage]\nurl = "{args.pg}"\ntls = "disable"\nnode = "{node}"\nlease = "{args.lease}s"\n\n')
        for i, url in enumerate(urls):
            f.write(f'[[feed]]\nid = "loop-{i}"\nname = "Loopback {i}"\nurl = "{url}"\ngroup = "western"\nlanguage = "en"\n\n')


def psql(url, sql):
    return subprocess.run(["psql", url, "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--pg", required=True, help="postgresql:// URL of an empty database")
    p.add_argument("--feeds", type=int, default=300)
    p.add_argument("--hosts", type=int, default=30)
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--interval", type=int, default=60, help="feed interval, seconds")
    p.add_argument("--lease", type=int, default=20, help="lease, seconds")
    p.add_argument("--kill-at", type=float, default=None, help="seconds after start to kill -9 node-2 (default: 45 %% of the run)")
    args = p.parse_args()
    duration = args.minutes * 60
    kill_at = args.kill_at if args.kill_at is not None else duration * 0.45

    servers, urls = start_servers(args.feeds, args.hosts)
    nodes = ["node-1", "node-2", "node-3"]
    procs = {}
    with tempfile.TemporaryDirectory(prefix="dyadwatch-cluster-") as work:
        for n in nodes:
            os.makedirs(os.path.join(work, n))
            write_config(os.path.join(work, n, "feeds.conf"), n, work, urls, args)
        start = time.monotonic()
        for n in nodes:
            log = open(os.path.join(work, n, "daemon.log"), "w")
            procs[n] = subprocess.Popen([args.binary, "run", "--config", os.path.join(work, n, "feeds.conf")],
                                        stdout=log, stderr=subprocess.STDOUT)
        killed_at = None
        status_during = ""
        loads = []
        while time.monotonic() - start < duration:
            time.sleep(1)
            if int(time.monotonic() - start) % 10 == 0:
                loads.append(os.getloadavg()[0])
            if killed_at is None and time.monotonic() - start >= kill_at:
                status_during = subprocess.run([args.binary, "status", "--config", os.path.join(work, "node-1", "feeds.conf")],
                                               capture_output=True, text=True).stdout
                procs["node-2"].send_signal(signal.SIGKILL)
                procs["node-2"].wait()
                killed_at = time.monotonic()
                print(f"[{killed_at - start:6.1f} s] kill -9 node-2 (pid {procs['node-2'].pid})", flush=True)
            for n, pr in procs.items():
                if n != "node-2" and pr.poll() is not None:
                    print(open(os.path.join(work, n, "daemon.log")).read()[-3000:], file=sys.stderr)
                    sys.exit(f"{n} exited early with {pr.returncode}")
        for n in ("node-1", "node-3"):
            procs[n].send_signal(signal.SIGTERM)
        for n in ("node-1", "node-3"):
            procs[n].wait(timeout=60)
        status_after = subprocess.run([args.binary, "status", "--config", os.path.join(work, "node-1", "feeds.conf")],
                                      capture_output=True, text=True).stdout
        for s in servers:
            s.shutdown()

        with REQUESTS_LOCK:
            reqs = sorted(REQUESTS)
        by_feed = {}
        for t, feed, ua, code in reqs:
            by_feed.setdefault(feed, []).append((t - start, ua.split("/")[0].replace("dyadwatch-", ""), code))
        kill_rel = killed_at - start
        interval = args.interval
        slack = 5.0   # scheduler timer leeway and poll duration
        short, late, takeovers, per_node = [], [], [], {}
        first_late = []
        for feed in range(args.feeds):
            rs = by_feed.get(feed, [])
            # The first poll: all feeds are due at start, spread per host by the scheduler.
            if not rs or rs[0][0] > interval:
                first_late.append((feed, rs[0][0] if rs else float("inf")))
            for t, node, _ in rs:
                per_node[node] = per_node.get(node, 0) + 1
            for (t0, n0, _), (t1, n1, _) in zip(rs, rs[1:]):
                gap = t1 - t0
                if gap < interval * 0.99:
                    short.append((feed, t0, n0, t1, n1, gap))
                dead = n0 == "node-2" and t0 < kill_rel <= t1
                if dead:
                    due = t0 + interval
                    takeovers.append((feed, max(0.0, t1 - max(due, kill_rel)), t1 - due))
                elif gap > interval * 1.1 + slack:
                    late.append((feed, t0, gap))
            if rs and rs[-1][1] == "node-2" and duration - rs[-1][0] > interval * 1.1 + 2 * args.lease + slack:
                takeovers.append((feed, float("inf"), float("inf")))
        polled = sum(1 for f in range(args.feeds) if by_feed.get(f))
        entries = int(psql(args.pg, "SELECT COUNT(*) FROM entries"))
        dup = int(psql(args.pg, "SELECT COUNT(*) FROM (SELECT feed_id, dedup_key FROM entries GROUP BY 1, 2 HAVING COUNT(*) > 1) d"))
        distinct_items = int(psql(args.pg, "SELECT COUNT(DISTINCT (feed_id, guid)) FROM entries"))
        analyses = int(psql(args.pg, "SELECT COUNT(*) FROM trends_analysis"))
        unanalyzed = int(psql(args.pg, "SELECT COUNT(*) FROM entries e LEFT JOIN trends_analysis a ON a.entry_id = e.id "
                                       "WHERE a.entry_id IS NULL OR a.revision < e.revision"))
        outbox = int(psql(args.pg, "SELECT COUNT(*) FROM alerts_outbox"))
        outbox_ids = int(psql(args.pg, "SELECT COUNT(DISTINCT id) FROM alerts_outbox"))
        alert_lines = {}
        for n in nodes:
            path = os.path.join(work, n, "logs", "alerts.jsonl")
            alert_lines[n] = sum(1 for _ in open(path)) if os.path.exists(path) else 0

        print(f"\n{args.feeds} feeds on {args.hosts} loopback hosts, interval {interval} s, lease {args.lease} s, "
              f"3 daemons for {duration / 60:.1f} min, node-2 killed at {kill_rel:.0f} s")
        print(f"requests: {len(reqs)} ({', '.join(f'{k} {v}' for k, v in sorted(per_node.items()))}); feeds polled: {polled}/{args.feeds}")
        print(f"requests of one feed closer than its interval (two daemons, or early): {len(short)}")
        for s in short[:5]:
            print(f"   feed {s[0]}: {s[2]} at {s[1]:.1f} s, {s[4]} at {s[3]:.1f} s (gap {s[5]:.1f} s)")
        print(f"first polls later than one interval after start: {len(first_late)}")
        for f, t in first_late[:5]:
            print(f"   feed {f}: first polled at {t:.1f} s")
        print(f"late polls: gaps longer than interval + 10 % + {slack:.0f} s (feeds not of the killed daemon): {len(late)}")
        for s in late[:5]:
            print(f"   feed {s[0]}: {s[2]:.1f} s after {s[1]:.1f} s")
        if takeovers:
            worst = max(d for _, d, _ in takeovers)
            print(f"feeds of node-2 taken over: {len(takeovers)}; worst delay after due (or after the kill): "
                  f"{worst:.1f} s (two lease periods: {2 * args.lease} s) -> {'ok' if worst <= 2 * args.lease else 'TOO LATE'}")
        print(f"entries stored: {entries} (served items: {args.feeds * loopback.ITEMS_PER_FEED}); "
              f"(feed, key) stored twice: {dup}; distinct (feed, guid): {distinct_items}")
        print(f"analyses stored: {analyses}; entries without an analysis of their revision: {unanalyzed}")
        print(f"alerts in the outbox: {outbox} ({outbox_ids} distinct ids); alerts.jsonl lines per node: {alert_lines}")
        print("\nstatus just before the kill (node-1's view):\n" + "\n".join(
            l for l in status_during.splitlines() if l.startswith(("daemons", "  node", "feeds:", "entries:"))))
        if loads:
            print(f"load average (1 min) during the run: min {min(loads):.2f}, mean {sum(loads) / len(loads):.2f}, "
                  f"max {max(loads):.2f} on {os.cpu_count()} cores")
        worst = max((d for _, d, _ in takeovers), default=0.0)
        print("\nsummary: "
              f"late polls {len(late) + len(first_late)}, requests within one interval {len(short)}, "
              f"entries stored twice {dup}, entries lost {args.feeds * loopback.ITEMS_PER_FEED - distinct_items}, "
              f"unanalyzed {unanalyzed}, analyses {analyses}/{entries}, "
              f"worst takeover after kill -9 {worst:.1f} s (limit {2 * args.lease} s)")
        ok = not short and not late and not first_late and dup == 0 and entries == args.feeds * loopback.ITEMS_PER_FEED and \
            all(d <= 2 * args.lease for _, d, _ in takeovers) and outbox == outbox_ids and takeovers and \
            unanalyzed == 0 and analyses == entries
        print(f"\nresult: {'PASS' if ok else 'FAIL'}")
        if not ok:
            for n in nodes:
                print(f"--- tail of {n}/daemon.log", file=sys.stderr)
                print("".join(open(os.path.join(work, n, "daemon.log")).readlines()[-10:]), file=sys.stderr)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
