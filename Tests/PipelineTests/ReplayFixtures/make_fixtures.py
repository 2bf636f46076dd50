#!/usr/bin/env python3
"""Writes the tiny replay fixture: feeds/<feed>/<YYYYMMDDTHHMMSSZ>.xml, two feeds, 14 days.

Deterministic (no clock, no randomness). Day 10 carries a surge of Russia coverage (with
China-Russia drills), which the replay golden test expects to raise an alert. Rerun after
changing it and refresh the golden files with DYADWATCH_UPDATE_GOLDEN=1 swift test --filter ReplayGolden.
"""
import datetime, os, shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feeds")
START = datetime.datetime(2022, 1, 3, tzinfo=datetime.timezone.utc)  # a Monday

def rfc822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S GMT")

def items_for(feed, day):
    generic = [f"{feed.title()} city opens new library wing {day}", f"Weather service warns of cold front, day {day}",
               f"Markets close mixed on day {day}"]
    if feed == "alpha":
        russia = [f"Russia reports grain harvest figures, day {day}"]
        if day == 10:
            russia = [f"Russia and China hold joint naval drill {i}" if i < 3 else f"Russia announces troop movements near border {i}"
                      for i in range(9)]
        return generic + russia
    base = generic[:2]
    if day in (11, 12):
        base += [f"China, Russia pledge energy cooperation in gas deal {day}-{i}" for i in range(3)]
    return base

def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    history = {"alpha": [], "beta": []}
    for day in range(14):
        for feed, hour, minute in (("alpha", 6, 0), ("beta", 7, 30)):
            snap = START + datetime.timedelta(days=day, hours=hour, minutes=minute)
            fresh = []
            for i, title in enumerate(items_for(feed, day)):
                pub = START + datetime.timedelta(days=day - 1, hours=8 + i)
                guid = f"{feed}-{day}-{i}"
                fresh.append((title, guid, pub))
            history[feed] = fresh + history[feed]
            items = history[feed][:len(fresh) + 2]  # the new items plus two already seen
            d = os.path.join(ROOT, feed)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, snap.strftime("%Y%m%dT%H%M%SZ") + ".xml"), "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n')
                f.write(f"<title>{feed}</title><link>https://example.invalid/{feed}/</link><description>fixture</description>\n")
                for title, guid, pub in items:
                    f.write(f"<item><title>{title}</title><link>https://example.invalid/{feed}/{guid}</link>"
                            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{rfc822(pub)}</pubDate></item>\n")
                f.write("</channel></rss>\n")

if __name__ == "__main__":
    main()
