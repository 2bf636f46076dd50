#!/usr/bin/env python3
"""Loopback feed server for scripts/soak.sh: N RSS feeds at /feed/<n>.xml on 127.0.0.1.

Every feed gains a new item every --new-every requests (so polls keep storing and analyzing new
entries), keeps its last --window items, and answers conditional GETs with 304. A quarter of the
items mention China and Russia together so the analysis and trend stages get real work. Prints
the bound port on stdout, then serves until killed. Standard library only.
"""
import argparse
import email.utils
import hashlib
import http.server
import threading
import time

TOPICS = [
    "China and Russia sign energy deal as Putin and Xi meet in Beijing",
    "Local council approves new budget for road repairs",
    "Russian and Chinese navies hold joint drills in the Sea of Japan",
    "Tech company reports record quarterly earnings",
    "Beijing and Moscow pledge deeper cooperation amid Western sanctions",
    "Weather service warns of heavy rain this weekend",
    "Analysts question limits of the China-Russia partnership over Ukraine",
    "Football club signs new striker",
]


class Feeds:
    def __init__(self, count, new_every, window):
        self.count, self.new_every, self.window = count, new_every, window
        self.requests = [0] * count
        self.lock = threading.Lock()

    def body(self, n):
        with self.lock:
            self.requests[n] += 1
            generation = self.requests[n] // self.new_every
        newest = generation + self.window
        items = []
        for i in range(newest, max(0, newest - self.window), -1):
            title = f"{TOPICS[(n + i) % len(TOPICS)]} (feed {n}, item {i})"
            date = email.utils.formatdate(1_800_000_000 + i * 600, usegmt=True)
            items.append(
                f"<item><title>{title}</title><link>http://127.0.0.1/feed/{n}/{i}</link>"
                f"<guid isPermaLink=\"false\">f{n}-i{i}</guid><pubDate>{date}</pubDate>"
                f"<description>{title}. More text about the story follows here.</description></item>")
        xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
               f"<title>Soak feed {n}</title><link>http://127.0.0.1/feed/{n}</link><description>soak</description>"
               + "".join(items) + "</channel></rss>").encode()
        return xml, '"' + hashlib.sha1(xml).hexdigest()[:16] + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--new-every", type=int, default=3, help="requests per feed between new items")
    ap.add_argument("--window", type=int, default=20, help="items per feed document")
    args = ap.parse_args()
    feeds = Feeds(args.feeds, args.new_every, args.window)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path == "/_stats":
                with feeds.lock:
                    total = sum(feeds.requests)
                return self.reply(200, f'{{"requests": {total}}}'.encode(), None)
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) != 2 or parts[0] != "feed" or not parts[1].endswith(".xml"):
                return self.reply(404, b"not found", None)
            try:
                n = int(parts[1][:-4])
            except ValueError:
                return self.reply(404, b"not found", None)
            if not 0 <= n < feeds.count:
                return self.reply(404, b"not found", None)
            body, etag = feeds.body(n)
            if self.headers.get("If-None-Match") == etag:
                return self.reply(304, b"", etag)
            self.reply(200, body, etag)

        def reply(self, status, body, etag):
            self.send_response(status)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
