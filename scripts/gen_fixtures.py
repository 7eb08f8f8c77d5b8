#!/usr/bin/env python3
"""Writes the demo project's fixtures: realistic web-analytics events as JSONEachRow.

    scripts/gen_fixtures.py [--out sql/fixtures] [--events 120000] [--user-events 30000]

Deterministic for a given --seed and --anchor (the last day covered, default today in UTC),
so two runs on the same day write the same bytes. Rows use column names, ready for
`INSERT INTO ... FORMAT JSONEachRow`. Stdlib only.
"""
import argparse
import datetime as dt
import json
import os
import random

PAGES = [
    ("/", 30), ("/pricing", 9), ("/docs", 8), ("/docs/quickstart", 7), ("/docs/api", 5),
    ("/blog", 6), ("/blog/clickhouse-vs-postgres", 4), ("/blog/real-time-apis", 3),
    ("/product", 6), ("/product/ingest", 3), ("/product/bi", 3), ("/signup", 4),
    ("/login", 5), ("/checkout", 2), ("/about", 2), ("/careers", 1), ("/contact", 1),
    ("/changelog", 1), ("/legal/privacy", 1), ("/search?q=caf\u00e9", 1),
]
COUNTRIES = [("US", 30), ("DE", 10), ("GB", 9), ("ES", 8), ("FR", 7), ("IN", 7), ("BR", 6),
             ("JP", 5), ("NL", 4), ("CA", 4), ("MX", 3), ("SE", 2), ("KR", 2), ("", 3)]
DEVICES = [("desktop", 55), ("mobile", 38), ("tablet", 7)]
BROWSERS = [("chrome", 60), ("safari", 22), ("firefox", 9), ("edge", 7), ("opera", 2)]
REFERRERS = [("", 45), ("https://www.google.com/", 30), ("https://news.ycombinator.com/", 6),
             ("https://twitter.com/", 5), ("https://www.bing.com/", 4), ("https://github.com/", 5),
             ("https://duckduckgo.com/", 5)]
TAGS = ["campaign:autumn", "ab:variant-b", "beta", "returning", "newsletter", "\u00fcber", "\u65e5\u672c"]
USER_EVENT_TYPES = [("page_view", 50), ("click", 25), ("search", 8), ("signup", 4),
                    ("purchase", 5), ("logout", 8)]


def pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights, k=1)[0]


def fmt_ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def gen_events(rng, n, start, days):
    rows = []
    visitors = [f"v{rng.getrandbits(40):010x}" for _ in range(max(1, n // 12))]
    session_no = 0
    while len(rows) < n:
        session_no += 1
        session_id = f"s{session_no:07d}"
        visitor = rng.choice(visitors)
        country, device, browser = pick(rng, COUNTRIES), pick(rng, DEVICES), pick(rng, BROWSERS)
        # Traffic follows a daily curve: more in the afternoon UTC.
        day = rng.randrange(days)
        hour = min(23, max(0, int(rng.gauss(14, 5))))
        t = start + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600),
                                 milliseconds=rng.randrange(1000))
        referrer = pick(rng, REFERRERS)
        for i in range(min(n - len(rows), max(1, int(rng.expovariate(1 / 4))))):
            path = pick(rng, PAGES)
            event = "page_view" if i == 0 or rng.random() < 0.7 else rng.choice(["click", "scroll", "purchase"])
            revenue = None
            if event == "purchase" or (path == "/checkout" and rng.random() < 0.3):
                event = "purchase"
                revenue = f"{rng.choice([9, 19, 49, 99, 199, 499])}.{rng.choice(['00', '99', '50'])}"
            tags = rng.sample(TAGS, k=rng.choice([0, 0, 0, 1, 1, 2]))
            rows.append({
                "timestamp": fmt_ts(t),
                "session_id": session_id,
                "visitor_id": visitor,
                "event": event,
                "pathname": path,
                "referrer": referrer if i == 0 else "",
                "country": country,
                "device": device,
                "browser": browser,
                "duration_ms": int(rng.expovariate(1 / 30000)) if event == "page_view" else 0,
                "revenue": revenue,
                "tags": tags,
            })
            t += dt.timedelta(seconds=rng.randrange(2, 240), milliseconds=rng.randrange(1000))
    return rows


def gen_user_events(rng, n, start, days):
    rows = []
    users = [str(u) for u in range(100, 600)]  # includes "123", which the docs use
    for k in range(n):
        user = "123" if k % 50 == 0 else rng.choice(users)
        etype = pick(rng, USER_EVENT_TYPES)
        t = start + dt.timedelta(days=rng.randrange(days), seconds=rng.randrange(86400),
                                 milliseconds=rng.randrange(1000))
        doc = {
            "timestamp": fmt_ts(t),
            "event": {"id": f"e{k:08d}", "type": etype},
            "user": {"id": user, "plan": rng.choice(["free", "pro", "enterprise"])},
            "props": {"path": pick(rng, PAGES), "value": rng.randrange(1000)},
        }
        rows.append({
            "event_id": doc["event"]["id"],
            "user_id": user,
            "event_type": etype,
            "timestamp": doc["timestamp"],
            "payload": json.dumps(doc, separators=(",", ":"), ensure_ascii=False),
        })
    return rows


def write(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False))
            f.write("\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "sql", "fixtures"))
    ap.add_argument("--events", type=int, default=120_000)
    ap.add_argument("--user-events", type=int, default=30_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--anchor", help="last day covered, YYYY-MM-DD (default: today, UTC)")
    args = ap.parse_args()
    anchor = (dt.date.fromisoformat(args.anchor) if args.anchor
              else dt.datetime.now(dt.timezone.utc).date())
    start = dt.datetime.combine(anchor - dt.timedelta(days=args.days - 1), dt.time())
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    write(os.path.join(args.out, "events.ndjson"), gen_events(rng, args.events, start, args.days))
    write(os.path.join(args.out, "user_events.ndjson"),
          gen_user_events(rng, args.user_events, start, args.days))
    print(f"wrote {args.events} events and {args.user_events} user_events "
          f"({start.date()} .. {anchor}) to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
