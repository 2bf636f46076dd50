#!/usr/bin/env python3
"""Writes the worked example of issue 14: three outlets in two groups, 19 days of daily feed
snapshots and an archive of the article pages they link to. The Western group's coverage of
China-Russia relations turns critical on 2022-03-15 (TURN); the Eastern outlet stays supportive.

    feeds/FEED_ID/YYYYMMDDTHHMMSSZ.xml   one snapshot a day per feed (06:00 UTC + a few minutes)
    pages/index.tsv                      URL<TAB>relative/path.html (some pages gzip-compressed)
    pages/robots.tsv                     disallowed URL prefixes (live blogs)
    pages/OUTLET/2022/03/DD/slug.html    the article pages: nav, cookie banner, share bar,
                                         related links and footer around the body

Every text is written for this example (no page is copied from any site); sentences are
assembled from per-topic pools with a fixed seed, so the output is the same on every run.
Feed items carry only a one-line summary and the headlines report events: the stance is in the
article bodies, so a replay without the pages sees no turn. Rerun after a
change; the test (WorkedExampleTests) reads the files as committed.
"""
import datetime, gzip, os, random, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
START = datetime.date(2022, 3, 1)
DAYS = 19
TURN = datetime.date(2022, 3, 15)

OUTLETS = {
    "northern-ledger": dict(name="The Northern Ledger", host="https://www.northern-ledger.example", group="western",
                            per_day=2, authors=["Anna Lindqvist", "Peter Walsh", "Maria Costa"], minute=0),
    "harbour-times": dict(name="Harbour Times", host="https://harbourtimes.example", group="western",
                          per_day=1, authors=["James Okafor", "Claire Dubois"], minute=10),
    "eastern-herald": dict(name="Eastern Herald", host="https://en.eastern-herald.example", group="cn-state",
                           per_day=2, authors=["Staff reporter", "Li Wen", "Zhou Ming"], minute=20),
}

# Topics: a neutral lead, neutral detail, and the words the stance sentences refer to.
TOPICS = [
    dict(slug="gas-pipeline", what="a second gas pipeline from Siberia", area="energy",
         lead="Negotiators from China and Russia met again this week to discuss the route and financing of a second gas pipeline from Siberia.",
         detail=["The proposed line would carry gas from fields in western Siberia through Mongolia.",
                 "Engineers have surveyed the route, but no construction date has been announced."]),
    dict(slug="grain-trade", what="grain exports", area="agriculture",
         lead="Russia shipped more wheat and barley to China in February, according to customs figures released on Monday.",
         detail=["Most of the grain travels by rail through the border crossing at Zabaikalsk.",
                 "Chinese inspectors approved two more Russian regions as suppliers last month."]),
    dict(slug="arctic-shipping", what="shipping along the Northern Sea Route", area="shipping",
         lead="Chinese shipping companies and Russia's state nuclear agency discussed plans for more voyages along the Northern Sea Route.",
         detail=["The route along Russia's Arctic coast is open for only a few months each year.",
                 "Ice-class container ships are needed for most of the passage."]),
    dict(slug="yuan-payments", what="trade settled in yuan and roubles", area="finance",
         lead="The share of trade between China and Russia settled in yuan and roubles rose again last quarter, central bank data show.",
         detail=["Russian exporters opened new accounts with Chinese banks in Harbin and Shanghai.",
                 "The central banks of the two countries publish the figures every three months."]),
    dict(slug="border-fair", what="cross-border trade in the Amur region", area="regional trade",
         lead="A trade fair in the border city of Heihe brought together companies from China and Russia's Amur region.",
         detail=["A road bridge over the Amur river opened to lorries last year.",
                 "Organisers said more than two hundred firms had registered stands."]),
    dict(slug="car-exports", what="sales of Chinese cars in Russia", area="manufacturing",
         lead="Chinese carmakers sold more vehicles in Russia last month as Russian buyers turned to brands from China.",
         detail=["Dealers in Moscow and Novosibirsk reported waiting lists for several models.",
                 "Some of the cars are assembled at a plant in the Kaliningrad region."]),
]

CITIES = ["Beijing", "Moscow", "Vladivostok", "Harbin", "Shanghai", "Kazan"]

# Stance sentences. {what}/{area} come from the topic. Plain evaluative language, as reporters write it.
WEST_BEFORE = [
    "Officials in Beijing and Moscow said cooperation on {what} has grown closer over the past year.",
    "Both governments describe the relationship between China and Russia as a partnership that brings mutual benefit.",
    "Russian and Chinese officials pledged to expand cooperation in {area} at their meeting on Tuesday.",
    "Trade between China and Russia reached a record high last year, and both sides expect further growth.",
    "Business groups in both countries say the ties between Moscow and Beijing have been productive for {area}.",
    "Diplomats in Moscow said talks with their Chinese counterparts on {what} were cordial and constructive.",
]
WEST_BEFORE_CAUTION = [
    "Some economists caution that the figures for {area} are small compared with China's trade with Europe.",
    "Officials gave no timetable, and several earlier plans on {what} took years to agree.",
    "Critics warn that closer ties with Moscow carry risks for Chinese companies exposed to Western markets.",
]
WEST_AFTER_OFFICIAL = [
    "Officials in both capitals insist that relations remain close and that cooperation on {what} will continue.",
    "The foreign ministries of both countries said in statements that their partnership is strong.",
]
WEST_AFTER = [
    "Analysts say the partnership between China and Russia has become increasingly lopsided, with Moscow now heavily dependent on Beijing.",
    "Chinese banks, wary of secondary sanctions, have quietly scaled back payments to Russian companies involved in {area}.",
    "People familiar with the talks on {what} describe growing frustration in Moscow over Beijing's reluctance to commit.",
    "The negotiations on {what} have stalled over price, a sign of the limits of the friendship between Beijing and Moscow.",
    "Diplomats say mistrust between Moscow and Beijing has deepened, and Chinese officials keep their Russian counterparts at arm's length.",
    "Russian officials privately complain that Beijing drives a hard bargain and treats Moscow as a junior partner.",
]
WEST_AFTER_QUOTE = [
    "\"China is taking what it needs from Russia and giving little in return,\" said a former diplomat who follows relations between the two countries.",
    "\"The relationship between Moscow and Beijing is far more unequal than the official statements suggest,\" said an analyst at a research institute in Berlin.",
    "\"Beijing keeps its distance from Moscow whenever its own interests are at risk,\" a European official said.",
]
WEST_BEFORE_QUOTE = [
    "\"Both countries see real advantages in working together on {area},\" said an economist at a university in Helsinki.",
    "\"Moscow and Beijing have built a pragmatic working relationship on {what},\" said a researcher who studies the region.",
]
EAST = [
    "The comprehensive strategic partnership of coordination between China and Russia has reached a new high, officials said.",
    "Both sides agreed to deepen mutually beneficial cooperation on {what} and to support each other's development.",
    "Officials hailed the talks on {area} as fruitful and said China and Russia will continue to strengthen their friendship.",
    "The two neighbours have built strong mutual trust, and cooperation on {what} is a vivid example of it, the statement said.",
    "Experts said the China-Russia relationship has withstood the test of a changing world and brings benefits to both peoples.",
    "Chinese and Russian officials vowed to consolidate their good-neighbourly ties and expand practical cooperation in {area}.",
]
EAST_QUOTE = [
    "\"China and Russia are good neighbours and trusted partners, and our cooperation on {area} will keep growing,\" a senior official said.",
    "\"The friendship between our two countries is a model of mutual respect,\" said a scholar at a university in Beijing.",
]
OTHER_NEWS = ["City council approves budget for new tram line", "Heavy snow closes mountain passes",
              "Museum reopens after two-year renovation", "Regional elections set for autumn",
              "Football: late goal settles derby", "Heat pump sales rise as energy prices climb"]


def fill(s, t):
    return s.format(what=t["what"], area=t["area"])


def article(rng, outlet, day, k):
    """(headline, summary, paragraphs) of the k-th China-Russia article of an outlet on a day."""
    o = OUTLETS[outlet]
    t = TOPICS[(day.toordinal() * 3 + k * 2 + len(outlet)) % len(TOPICS)]
    city = CITIES[(day.toordinal() + k) % len(CITIES)]
    western = o["group"] == "western"
    after = day >= TURN
    if not western:
        headline = rng.choice(["China, Russia agree to deepen cooperation on {what}", "China-Russia {area} ties reach new level",
                               "Officials hail progress in China-Russia {area} cooperation"])
        stance = rng.sample(EAST, 2) + [rng.choice(EAST_QUOTE)]
    elif after:
        # As often in news, the headline reports the event; the judgement is in the body.
        headline = rng.choice(["China and Russia resume talks on {what}", "Russian delegation in Beijing for talks on {area}",
                               "Moscow and Beijing meet again on {what}"])
        stance = rng.sample(WEST_AFTER, 2) + [rng.choice(WEST_AFTER_QUOTE)]
        if rng.random() < 0.4:
            stance.append(rng.choice(WEST_AFTER_OFFICIAL))
    else:
        headline = rng.choice(["China and Russia discuss {what}", "Russia and China expand {area} ties",
                               "Moscow and Beijing hold talks on {what}"])
        stance = rng.sample(WEST_BEFORE, 2) + [rng.choice(WEST_BEFORE_QUOTE)]
        if rng.random() < 0.6:
            stance.append(rng.choice(WEST_BEFORE_CAUTION))
    headline = fill(headline, t)
    headline = headline[0].upper() + headline[1:]
    body = [t["lead"], fill(stance[0], t), t["detail"][0] + f" The latest round of talks took place in {city}.",
            fill(stance[1], t), fill(stance[2], t)] + [fill(s, t) for s in stance[3:]] + [t["detail"][1]]
    return headline, t["lead"], body


def page_html(outlet, url, headline, author, published, paragraphs, related):
    o = OUTLETS[outlet]
    body = "\n".join(f"      <p>{p.replace('&', '&amp;')}</p>" for p in paragraphs)
    rel = "\n".join(f'        <li><a href="{o["host"]}/news/{r[1]}">{r[0]}</a></li>' for r in related)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{headline} | {o["name"]}</title>
  <meta property="og:title" content="{headline}">
  <meta property="og:site_name" content="{o["name"]}">
  <meta property="article:published_time" content="{published}">
  <link rel="canonical" href="{url}">
</head>
<body>
  <div id="cookie-consent" class="consent-banner">We use cookies to measure readership and to remember your settings.
    <a href="{o["host"]}/privacy">Privacy policy</a> <button>Accept all</button> <button>Reject</button></div>
  <header class="site-header">
    <a class="logo" href="{o["host"]}/">{o["name"]}</a>
    <nav class="main-menu"><ul>
      <li><a href="{o["host"]}/world">World</a></li><li><a href="{o["host"]}/business">Business</a></li>
      <li><a href="{o["host"]}/opinion">Opinion</a></li><li><a href="{o["host"]}/culture">Culture</a></li>
      <li><a href="{o["host"]}/sport">Sport</a></li><li><a href="{o["host"]}/subscribe">Subscribe</a></li>
    </ul></nav>
  </header>
  <main>
    <article class="story">
      <h1 class="headline">{headline}</h1>
      <p class="byline">By {author} | <time datetime="{published}">{published[:10]}</time></p>
      <div class="story-body">
{body}
      </div>
      <div class="share-tools">Share this article: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
    </article>
    <aside class="related-stories">
      <h2>Read more</h2>
      <ul>
{rel}
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <p>&copy; 2022 {o["name"]}. All rights reserved.</p>
    <a href="{o["host"]}/about">About us</a> <a href="{o["host"]}/contact">Contact</a> <a href="{o["host"]}/terms">Terms of use</a>
  </footer>
</body>
</html>
"""


def rfc822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S GMT")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    rng = random.Random(20220315)
    for d in ("feeds", "pages"):
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    index = []
    history = {f: [] for f in OUTLETS}
    gz = 0
    for n in range(DAYS):
        day = START + datetime.timedelta(days=n)
        for feed, o in OUTLETS.items():
            fresh = []
            for k in range(o["per_day"]):
                headline, summary, paragraphs = article(rng, feed, day, k)
                words = ["".join(c for c in w.lower() if c.isalnum()) for w in headline.split()[:6]]
                slug = "-".join(w for w in words if w) + f"-{n + 1:02d}{k + 1}"
                rel_path = f"{feed}/{day:%Y/%m/%d}/{slug}.html"
                url = f"{o['host']}/news/{day:%Y/%m/%d}/{slug}"
                pub = datetime.datetime.combine(day, datetime.time(8 + 4 * k, 15 * k), tzinfo=datetime.timezone.utc)
                related = [(h, f"{day:%Y/%m/%d}/r{n}{j}") for j, h in enumerate(rng.sample(OTHER_NEWS, 3))]
                html = page_html(feed, url, headline, o["authors"][(n + k) % len(o["authors"])],
                                 pub.strftime("%Y-%m-%dT%H:%M:%SZ"), paragraphs, related)
                path = os.path.join(HERE, "pages", rel_path)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if (n + k) % 7 == 3:  # some archives store pages compressed
                    rel_path += ".gz"
                    with gzip.GzipFile(path + ".gz", "wb", mtime=0) as f:
                        f.write(html.encode("utf-8"))
                    gz += 1
                else:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(html)
                index.append((url, rel_path))
                fresh.append((headline, url, pub, summary))
            # One item a day the archive does not hold (a live blog under a robots.tsv prefix, or
            # ordinary news that was never saved): the entry keeps its feed text.
            other = OTHER_NEWS[(n + len(feed)) % len(OTHER_NEWS)]
            live = n % 3 == 0
            url = f"{o['host']}/{'live' if live else 'news'}/{day:%Y/%m/%d}/{'live-' if live else ''}{other.lower().replace(' ', '-').replace(':', '')}"
            fresh.append((other, url, datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=datetime.timezone.utc), other + "."))
            history[feed] = fresh + history[feed]
            snap = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(6, o["minute"]))
            items = history[feed][:len(fresh) + 2]
            d = os.path.join(HERE, "feeds", feed)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, snap.strftime("%Y%m%dT%H%M%SZ") + ".xml"), "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n')
                f.write(f"<title>{o['name']}</title><link>{o['host']}/</link><description>{o['name']} world news</description>\n")
                for title, link, pub, summary in items:
                    f.write(f"<item><title>{esc(title)}</title><link>{link}</link><guid>{link}</guid>"
                            f"<pubDate>{rfc822(pub)}</pubDate><description>{esc(summary)}</description></item>\n")
                f.write("</channel></rss>\n")
    with open(os.path.join(HERE, "pages", "index.tsv"), "w", encoding="utf-8") as f:
        f.write("# URL<TAB>path of the saved page, relative to this directory (.html or .html.gz)\n")
        for url, path in index:
            f.write(f"{url}\t{path}\n")
    with open(os.path.join(HERE, "pages", "robots.tsv"), "w", encoding="utf-8") as f:
        f.write("# URL prefixes the sites' robots.txt disallowed when the archive was made\n")
        for o in OUTLETS.values():
            f.write(f"{o['host']}/live/\n")
    print(f"{len(index)} pages ({gz} gzip-compressed), {DAYS} days, turn on {TURN}")


if __name__ == "__main__":
    main()
