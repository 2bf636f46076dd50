#!/usr/bin/env python3
"""Several dyadwatch daemons on one PostgreSQL database sharing the full-text page queue.

Run through scripts/fulltext-cluster-check.sh (it starts a throw-away PostgreSQL). One
`fulltext = true` feed lists PAGES articles whose pages are served (slowly) from 127.0.0.1-3 by
this script, which logs every page request with the daemon's node (User-Agent is shared, so the
node is told by the log lines). Figures:

  1. no kill: every page requested exactly once over all daemons, how the pages split between
     them, every entry `extracted` in the database;
  2. with --kill: one daemon is killed (-9) while it fetches; its claimed pages are fetched again
     by the others once their claims expire (2 × [fulltext] timeout + 60 s), every entry ends
     `extracted` once; pages requested twice are exactly those in flight at the kill.
"""
import argparse
import email.utils
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

REQUESTS = []  # (monotonic seconds, path)
LOCK = threading.Lock()
ARTICLE = ""
DELAY = 0.3


class PageHandler(http.server.BaseHTTPRequestHandler):
    feed = b""

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/herald.xml":
            body, ctype = self.feed, "application/rss+xml"
        elif path.startswith("/story/"):
            with LOCK:
                REQUESTS.append((time.monotonic(), path))
            time.sleep(DELAY)
            body, ctype = ARTICLE, "text/html; charset=utf-8"
        else:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):  # a killed daemon's socket
            super().handle_error(request, client_address)


def serve(host, port=0):
    server = QuietServer((host, port), PageHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()


def main():
    global ARTICLE, DELAY
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--pg", required=True, help="URL of an empty database")
    ap.add_argument("--daemons", type=int, default=3)
    ap.add_argument("--pages", type=int, default=90)
    ap.add_argument("--delay", type=float, default=0.3, help="seconds each page takes to answer")
    ap.add_argument("--timeout", default="2s", help="[fulltext] timeout (a claim lasts twice this + 60 s)")
    ap.add_argument("--kill", action="store_true", help="kill -9 one daemon while it fetches")
    args = ap.parse_args()
    DELAY = args.delay
    here = os.path.dirname(os.path.abspath(__file__))
    ARTICLE = open(os.path.join(here, "../Tests/PipelineTests/FulltextFixtures/article-en.html"), "rb").read()
    port = serve("127.0.0.1")
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    for h in hosts[1:]:
        serve(h, port)
    items = []
    for i in range(args.pages):
        date = email.utils.formatdate(time.time() - 60 * (i + 1), usegmt=True)
        items.append(f"<item><title>Summit ends, part {i}</title><link>http://{hosts[i % 3]}:{port}/story/{i}</link>"
                     f"<guid>h{i}</guid><pubDate>{date}</pubDate><description>Officials met.</description></item>")
    PageHandler.feed = ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Herald</title>"
                        f"<link>http://127.0.0.1:{port}/</link>{''.join(items)}</channel></rss>").encode()
    work = tempfile.mkdtemp(prefix="dyadwatch-fulltext-cluster-")
    procs = []
    for n in range(args.daemons):
        conf = os.path.join(work, f"node-{n}.conf")
        with open(conf, "w") as f:
            f.write(f"""[daemon]
state_dir = "{work}/state-{n}"
log_dir = "{work}/logs-{n}"
trends_dir = "{work}/trends-{n}"
interval = "10m"
stale_after = "30d"
per_host_concurrency = 1

[storage]
url = "{args.pg}"
tls = "disable"
node = "node-{n}"

[fulltext]
host_delay = "0s"
timeout = "{args.timeout}"
first_poll_backlog = {args.pages}

[[feed]]
id = "herald"
name = "Herald"
url = "http://127.0.0.1:{port}/herald.xml"
group = "western"
language = "en"
fulltext = true
""")
        log = open(os.path.join(work, f"node-{n}.log"), "w")
        procs.append((subprocess.Popen([args.binary, "run", "--config", conf], stdout=log, stderr=log, stdin=subprocess.DEVNULL), log))

    def extracted_by(n):
        with open(os.path.join(work, f"node-{n}.log")) as f:
            return sum(1 for line in f if "msg=fulltext_extracted" in line)

    def done():
        return psql(args.pg, "SELECT COUNT(*) FROM entries WHERE fulltext_status = 'extracted'") == str(args.pages) \
            if os.path.exists(os.path.join(work, "node-0.log")) else False

    started = time.monotonic()
    killed, killed_at, in_flight = None, None, set()
    deadline = started + 60 + (200 if args.kill else 0) + args.pages * args.delay
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if done():
                break
        except subprocess.CalledProcessError:
            continue  # schema not created yet
        if args.kill and killed is None and len(REQUESTS) >= args.pages // 3:
            # The busiest daemon other than the first to poll: it holds claims in flight now.
            killed = max(range(1, args.daemons), key=extracted_by)
            owned = psql(args.pg, f"SELECT id FROM entries WHERE page_lease_owner = 'node-{killed}' AND fulltext_status = 'pending'")
            procs[killed][0].send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            in_flight = set(owned.split()) if owned else set()
    elapsed = time.monotonic() - started
    counts = psql(args.pg, "SELECT fulltext_status || ' ' || COUNT(*) FROM entries GROUP BY fulltext_status ORDER BY 1").replace("\n", ", ")
    analyzed = psql(args.pg, "SELECT COUNT(*) FROM entries e JOIN trends_analysis a ON a.entry_id = e.id "
                             "WHERE a.revision = e.revision AND e.fulltext_status = 'extracted'")
    for p, log in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p, log in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
        log.close()
    per_page = {}
    for t, path in REQUESTS:
        per_page.setdefault(path, []).append(t)
    twice = sorted(p for p, ts in per_page.items() if len(ts) > 1)
    split = [extracted_by(n) for n in range(args.daemons)]
    print(f"{args.daemons} daemons, {args.pages} pages ({args.delay} s each, 3 hosts): {len(REQUESTS)} page requests, "
          f"{len(per_page)} distinct pages, {len(twice)} requested twice; extracted per daemon {split}; "
          f"database: {counts}; analyzed from the extracted text: {analyzed}; {elapsed:.1f} s")
    ok = len(per_page) == args.pages and counts == f"extracted {args.pages}" and analyzed == str(args.pages)
    if args.kill:
        retaken = [max(ts) - killed_at for p, ts in per_page.items() if len(ts) > 1]
        print(f"killed node-{killed} (-9) with {len(in_flight)} claimed pages; {len(twice)} pages fetched again "
              f"{', '.join(f'{x:.1f}' for x in sorted(retaken))} s after the kill "
              f"(claim {2 * float(args.timeout.rstrip('s')) + 60:.0f} s + maintenance round 10 s)")
        ok = ok and len(twice) <= len(in_flight)
    else:
        ok = ok and not twice
    print("OK" if ok else "FAILED", f"(logs in {work})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
