from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPORT, SHARED
from marsad.cli import app
from marsad.evaluate.corpus import build_document, corpus_hash, read_records
from marsad.evaluate.evaluation import evaluate
from marsad.evaluate.floors import Floors, ceiling_of, check_floors, floor_of, pin_floors
from marsad.evaluate.gold import GoldArticle, GoldError, GoldEvent, GoldTally, annotation_files, load_gold
from marsad.evaluate.match import (
    date_compatible,
    haversine_km,
    match_events,
    place_agrees,
    place_tokens,
    place_within_radius,
    trigger_overlaps,
)
from marsad.evaluate.score import ArticleResult, score_split
from marsad.extract.model import Event, Evidence, Extraction, Tally
from marsad.model import Document, InputKind
from marsad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
CORPUS = SHARED / "corpus"
DAY = dt.date(2015, 8, 6)
runner = CliRunner()


def gold(**kw: Any) -> GoldEvent:
    base: dict[str, Any] = {
        "event_date": DAY,
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
    }
    return GoldEvent(**{**base, **kw})


def pred(**kw: Any) -> Event:
    base: dict[str, Any] = {
        "id": "e",
        "document_id": "d",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "disorder_type": "Political violence",
        "trigger": "airstrike",
        "event_date": DAY,
    }
    return Event(**{**base, **kw})


def article(events: tuple[GoldEvent, ...] = (), relevance: str = "event", **kw: Any) -> GoldArticle:
    base: dict[str, Any] = {"id": "a", "file": "f.jsonl", "split": "dev", "relevance": relevance, "published": DAY}
    return GoldArticle(events=events, **{**base, **kw})


def result(gold_article: GoldArticle, events: list[Event], tallies: list[Tally] | None = None) -> ArticleResult:
    matching = match_events(events, gold_article.events)
    return ArticleResult(gold_article, "processed", matching, events=events, tallies=tallies or [])


def tally(fatalities: int) -> Tally:
    return Tally("t", "d", None, None, None, None, None, None, [], None, fatalities, fatalities, fatalities, "exact")


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("precision", "inside", "outside"), [(1, 1, 2), (2, 7, 8), (3, 31, 32)])
def test_evaluate_date_tolerance_follows_time_precision(precision: int, inside: int, outside: int) -> None:
    g = gold(time_precision=precision)
    for days, expected in ((0, True), (inside, True), (-inside, True), (outside, False), (-outside, False)):
        assert date_compatible(pred(event_date=DAY + dt.timedelta(days=days)), g) is expected


def test_evaluate_prediction_without_date_never_matches() -> None:
    g = gold(time_precision=3, location="Saada")
    matching = match_events([pred(event_date=None, location="Saada")], [g])
    assert matching.pairs == () and matching.unmatched_pred == (0,) and matching.unmatched_gold == (0,)


def test_evaluate_matching_is_one_to_one_and_prefers_agreement() -> None:
    golds = [
        gold(location="Saada", latitude=16.94, longitude=43.76),
        gold(location="Hajjah", latitude=15.69, longitude=43.60),
    ]
    preds = [
        pred(id="p0", location="Hajjah", latitude=15.70, longitude=43.61),
        pred(id="p1", location="Saada", latitude=16.95, longitude=43.75),
        pred(id="p2", location="Saada", latitude=16.94, longitude=43.76, event_type="Battles",
             sub_event_type="Armed clash"),
    ]  # fmt: skip
    m = match_events(preds, golds)
    assert [(p.pred, p.gold) for p in m.pairs] == [(1, 0), (0, 1)]
    assert m.unmatched_pred == (2,) and m.unmatched_gold == ()


def test_evaluate_unmatched_events_count_as_false_positives_and_negatives() -> None:
    g = article((gold(), gold(event_date=DAY - dt.timedelta(days=10))))
    r = result(g, [pred(), pred(event_date=DAY + dt.timedelta(days=20))])
    scores = score_split("dev", [r])
    assert (scores.counts["tp"], scores.counts["fp"], scores.counts["fn"]) == (1, 1, 1)


def test_evaluate_closer_date_wins_between_equal_candidates() -> None:
    golds = [gold(time_precision=2), gold(time_precision=2, event_date=DAY + dt.timedelta(days=5))]
    m = match_events([pred(event_date=DAY + dt.timedelta(days=5))], golds)
    assert [(p.pred, p.gold) for p in m.pairs] == [(0, 1)]


def test_evaluate_trigger_overlap_uses_document_spans() -> None:
    text = "قالت مصادر إن غارة جوية استهدفت مدينة صعدة، وإن غارة أخرى ضربت حجة."
    doc = Document(id="d", record_id="d", input_path="x", locator="", input_kind=InputKind.TEXT, raw=text, text=text)
    first, second = text.index("غارة جوية"), text.index("غارة أخرى")
    g = gold(evidence={"trigger": "غارة أخرى"})
    at_first = pred(evidence=[Evidence("trigger", first, first + 4, "غارة")])
    at_second = pred(evidence=[Evidence("trigger", second, second + 4, "غارة")])
    assert trigger_overlaps(at_second, g, doc) and not trigger_overlaps(at_first, g, doc)
    assert trigger_overlaps(at_first, g)  # without the document: a shared word is enough


# --- place rules ------------------------------------------------------------------------------


def test_evaluate_place_within_25km_by_haversine() -> None:
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.2, abs=0.1)
    g = gold(latitude=14.54, longitude=49.12)
    assert place_within_radius(pred(latitude=14.54 + 0.2, longitude=49.12), g)  # ~22 km
    assert not place_within_radius(pred(latitude=14.54 + 0.25, longitude=49.12), g)  # ~28 km
    assert place_within_radius(pred(latitude=None, longitude=None), g) is None
    # with coordinates on both sides the distance decides, whatever the words
    far = pred(latitude=15.0, longitude=49.12, place_mention="المكلا")
    assert not place_agrees(far, gold(latitude=14.54, longitude=49.12, evidence={"place": "مدينة المكلا"}))


@pytest.mark.parametrize(
    ("mention", "evidence", "agrees"),
    [
        ("بالمكلا", "مدينة المكلا الساحلية", True),  # proclitic bi- and the article
        ("محافظة إدلب", "ريف ادلب", True),  # hamza folded, generic nouns ignored
        ("في الرقة", "مدينة الرقه", True),  # ta marbuta folded
        ("حَلَب", "شمال حلب", True),  # diacritics removed
        ("وسترة", "جزيرة سترة بمملكة البحرين", True),  # conjunction wa-
        ("مدينة الرياض", "مدينة جدة", False),  # only a generic noun in common
        ("شمال سوريا", "شمال العراق", False),
        ("جزيرة تاروت", "جزيرة سترة", False),
        ("في حي", "حي السلام", False),  # two-letter words never count
    ],
)
def test_evaluate_place_words_overlap_after_normalisation(mention: str, evidence: str, agrees: bool) -> None:
    assert place_agrees(pred(place_mention=mention), gold(evidence={"place": evidence})) is agrees


def test_evaluate_place_tokens_match_latin_locations_and_drop_generic_words() -> None:
    assert place_agrees(pred(location="Al Mukalla"), gold(location="Mukalla"))
    assert place_tokens("بمحافظة صعدة") == {"صعده"}


# --- metric arithmetic ------------------------------------------------------------------------


def test_evaluate_metric_arithmetic() -> None:
    near = {"latitude": 14.54, "longitude": 49.12}
    a1 = article(
        (
            gold(actor1="Houthi Movement", fatalities=3, admin1="Saada", **near),
            gold(event_type="Battles", sub_event_type="Armed clash", time_precision=2, location="Taizz"),
            gold(event_date=DAY - dt.timedelta(days=40)),
        ),
        tallies=(GoldTally(30), GoldTally(5)),
    )
    p1 = [
        pred(actor1="Houthi Movement", fatalities=3, admin1="Saada", latitude=14.6, longitude=49.1),
        pred(event_type="Battles", sub_event_type="Armed clash", event_date=DAY + dt.timedelta(days=3),
             place_mention="تعز", actor1="Saudi-led Coalition", fatalities=2),
        pred(event_date=DAY + dt.timedelta(days=60)),
    ]  # fmt: skip
    none_article = article(relevance="none", id="b")
    related = article(relevance="related", id="c")
    results = [
        result(a1, p1, [tally(30), tally(30)]),
        result(none_article, [pred(), pred()]),
        result(related, []),
    ]
    s = score_split("dev", results)
    assert (s.counts["tp"], s.counts["fp"], s.counts["fn"]) == (2, 3, 1)
    assert s.value("event_precision") == pytest.approx(2 / 5)
    assert s.value("event_recall") == pytest.approx(2 / 3)
    assert s.value("event_f1") == pytest.approx(2 * (2 / 5) * (2 / 3) / (2 / 5 + 2 / 3))
    assert s.metrics["event_f1"].n == 6
    assert s.value("event_type") == 1.0 and s.metrics["event_type"].n == 2
    assert s.value("date") == 1.0
    assert s.value("date_exact") == 0.5
    assert s.value("fatalities") == 0.5  # 3 == 3, but 2 predicted where the gold says 0
    assert s.value("actor1") == 0.5
    assert s.value("actor2") == 1.0  # both empty on both pairs
    assert s.value("place") == 0.5  # Taizz: no coordinates, «تعز» is not «Taizz»
    assert (s.value("place_25km"), s.metrics["place_25km"].n) == (1.0, 1)
    assert (s.value("admin1"), s.metrics["admin1"].n) == (1.0, 1)
    assert (s.value("tally_recall"), s.metrics["tally_recall"].n) == (0.5, 2)
    assert (s.value("false_events_per_none_article"), s.metrics["false_events_per_none_article"].n) == (2.0, 1)
    assert s.counts["articles"] == 3 and s.counts["articles_none"] == 1 and s.counts["articles_related"] == 1


def test_evaluate_unmeasured_article_misses_every_gold_event() -> None:
    broken = ArticleResult.unmeasured(article((gold(), gold())), "processed", error="RuntimeError: boom")
    skipped = ArticleResult.unmeasured(article((gold(),), id="b"), "skipped", reason="language is English")
    s = score_split("dev", [broken, skipped])
    assert (s.counts["fn"], s.counts["extraction_errors"], s.counts["not_processed"]) == (3, 1, 1)
    assert s.value("event_recall") == 0.0 and s.metrics["event_recall"].n == 3


def test_evaluate_metrics_over_nothing_have_no_value() -> None:
    s = score_split("heldout", [])
    assert all(m.value is None and m.n == 0 for m in s.metrics.values())


# --- floors -----------------------------------------------------------------------------------


def test_evaluate_floors_round_down_and_subtract_tolerance() -> None:
    assert floor_of(0.6789) == 0.66
    assert floor_of(0.29) == 0.28  # 0.29 * 100 is 28.999… in binary
    assert floor_of(1.0) == 0.99
    assert floor_of(0.004) == 0.0
    assert ceiling_of(0.5) == 0.51 and ceiling_of(0.123) == 0.14


def test_evaluate_gate_names_every_metric_below_its_floor() -> None:
    s = score_split("dev", [result(article((gold(), gold(event_date=DAY - dt.timedelta(days=9)))), [pred()])])
    floors = Floors("h", {"dev": {"event_recall": 0.6, "event_precision": 0.9, "event_type": 1.0}})
    gate = check_floors(floors, {"dev": s}, "h")
    assert not gate.passed and len(gate.failures) == 1 and "dev event_recall = 0.500" in gate.failures[0]
    changed = check_floors(floors, {"dev": s}, "other")
    assert not changed.passed and not changed.hash_ok and "--update-floors" in changed.failures[0]
    pinned = pin_floors({"dev": s, "heldout": score_split("heldout", [])}, "h")
    assert pinned.floors == {"dev": {name: floor_of(s.value(name) or 0) for name in pinned.floors["dev"]}}
    assert "heldout" not in pinned.floors  # nothing measured, nothing pinned


# --- gold files and corpus --------------------------------------------------------------------


def _gold_file(path: Path, article_id: str, split: str, events: list[dict[str, Any]], **kw: Any) -> None:
    data = {"id": article_id, "file": "test.jsonl", "split": split, "published": "2019-04-30", "annotator": "test",
            "relevance": "event" if events else "none", "events": events, "tallies": [], "notes": "", **kw}  # fmt: skip
    (path / (article_id.replace(":", "_") + ".json")).write_text(json.dumps(data, ensure_ascii=False, indent=2))


ECONOMY = (
    "الرياض – أعلنت وزارة التجارة عن افتتاح معرض جديد للكتاب في العاصمة يستمر عشرة أيام، "
    "بمشاركة أكثر من مئتي دار نشر من عدة دول عربية، مع برنامج ثقافي يومي للزوار والعائلات."
)


@pytest.fixture
def gold_set(tmp_path: Path) -> tuple[Path, Path]:
    """A gold folder with one dev event article and one held-out unrelated article, and its corpus."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"id": "t:1", "published": "2019-04-30", "title": "قصف على دوما", "text": REPORT},
        {"id": "t:2", "published": "2019-04-30", "title": "معرض للكتاب", "text": ECONOMY},
    ]
    (corpus / "test.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    articles = tmp_path / "eval" / "gold" / "articles"
    articles.mkdir(parents=True)
    event = {"event_date": "2019-04-30", "time_precision": 1, "event_type": "Explosions/Remote violence",
             "sub_event_type": "Shelling/artillery/missile attack", "actor1": None, "actor2": "Civilians (Syria)",
             "country": "Syria", "admin1": "Rural Damascus", "location": "Douma", "latitude": 33.57,
             "longitude": 36.4, "geo_precision": 1, "fatalities": 5,
             "evidence": {"trigger": "قصف مدفعي", "place": "مدينة دوما بريف دمشق"}}  # fmt: skip
    _gold_file(articles, "t:1", "dev", [event])
    _gold_file(articles, "t:2", "heldout", [])
    return articles.parent, corpus


def good_extractor(doc: Document) -> Extraction:
    if "دوما" not in doc.text:
        return Extraction(doc.id)
    start = doc.text.index("قصف مدفعي")
    event = pred(id="e1", document_id=doc.id, sub_event_type="Shelling/artillery/missile attack",
                 event_date=dt.date(2019, 4, 30), place_mention="دوما", fatalities=5, actor2="Civilians (Syria)",
                 evidence=[Evidence("trigger", start, start + 9, "قصف مدفعي")])  # fmt: skip
    return Extraction(doc.id, events=[event])


def test_evaluate_protests_and_riots_are_counted_but_not_scored(gold_set: tuple[Path, Path]) -> None:
    gold_dir, corpus = gold_set

    def with_protest(doc: Document) -> Extraction:
        extraction = good_extractor(doc)
        extraction.events.append(pred(id="e2", document_id=doc.id, event_type="Protests",
                                      sub_event_type="Peaceful protest", event_date=dt.date(2019, 4, 30)))  # fmt: skip
        return extraction

    ev = evaluate(gold_dir, corpus, with_protest)
    assert ev.scores["all"].counts["predicted_out_of_scope"] == 2
    assert ev.scores["all"].value("event_precision") == 1.0
    assert ev.scores["heldout"].value("false_events_per_none_article") == 0.0


def empty_extractor(doc: Document) -> Extraction:
    return Extraction(doc.id)


def test_evaluate_loads_gold_and_scores_synthetic_set(gold_set: tuple[Path, Path]) -> None:
    gold_dir, corpus = gold_set
    ev = evaluate(gold_dir, corpus, good_extractor)
    assert [r.status for r in ev.results] == ["processed", "processed"]
    assert ev.scores["dev"].value("event_f1") == 1.0 and ev.scores["dev"].value("place") == 1.0
    assert ev.scores["heldout"].value("false_events_per_none_article") == 0.0
    assert ev.scores["all"].counts["articles"] == 2
    only_dev = evaluate(gold_dir, corpus, good_extractor, split="dev")
    assert list(only_dev.scores) == ["dev"] and only_dev.corpus_hash == ev.corpus_hash


def test_evaluate_gold_loader_names_file_and_problem(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    bad = {"event_date": "2019-02-30", "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash"}
    _gold_file(articles, "t:9", "dev", [bad])
    with pytest.raises(GoldError, match=r"t_9\.json: event 0: 'event_date' is not an ISO date"):
        load_gold(tmp_path)
    _gold_file(articles, "t:9", "dev", [{**bad, "event_date": "2019-02-28", "sub_event_type": "Air/drone strike"}])
    with pytest.raises(GoldError, match="unknown event type/sub-event type"):
        load_gold(tmp_path)


def test_evaluate_corpus_hash_covers_annotations_and_texts(gold_set: tuple[Path, Path]) -> None:
    gold_dir, corpus = gold_set
    articles = load_gold(gold_dir)
    records = read_records(corpus, articles, Settings())
    before = corpus_hash(annotation_files(gold_dir), records)
    assert corpus_hash(annotation_files(gold_dir), records) == before
    records["t:2"].payload = ECONOMY + " "
    assert corpus_hash(annotation_files(gold_dir), records) != before


# --- CLI --------------------------------------------------------------------------------------


def _use(monkeypatch: pytest.MonkeyPatch, extractor: Any) -> None:
    monkeypatch.setattr("marsad.evaluate.command.load_extractor", lambda: extractor)


def test_evaluate_cli_gate_pins_passes_and_fails_below_floor(
    gold_set: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_dir, corpus = gold_set
    floors = gold_dir.parent / "floors.json"
    _use(monkeypatch, good_extractor)
    pinned = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--update-floors"])
    assert pinned.exit_code == 0, pinned.output
    data = json.loads(floors.read_text())
    assert data["floors"]["dev"]["event_f1"] == 0.99 and data["ceilings"]["heldout"] == {
        "false_events_per_none_article": 0.01
    }
    assert len(data["corpus_hash"]) == 64
    passed = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus)])  # default floors file
    assert passed.exit_code == 0 and "gate passed" in passed.stdout
    _use(monkeypatch, empty_extractor)
    failed = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--floors", str(floors)])
    assert failed.exit_code == 1
    assert "dev event_recall = 0.000 is below its floor 0.99" in failed.stdout
    assert "dev event_f1" in failed.stdout
    as_json = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--json"])
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["gate"]["passed"] is False


def test_evaluate_cli_fails_when_gold_set_changed_since_pinning(
    gold_set: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_dir, corpus = gold_set
    _use(monkeypatch, good_extractor)
    assert runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--update-floors"]).exit_code == 0
    path = gold_dir / "articles" / "t_2.json"
    path.write_text(path.read_text().replace('"notes": ""', '"notes": "edited"'))
    changed = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus)])
    assert changed.exit_code == 1
    assert "gold set or the corpus changed" in changed.stdout and "--update-floors" in changed.stdout


def test_evaluate_cli_heldout_run_reminds_it_is_not_for_tuning(
    gold_set: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_dir, corpus = gold_set
    _use(monkeypatch, good_extractor)
    res = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--split", "heldout"])
    assert res.exit_code == 0, res.output
    assert "held-out split is for final reporting, not for tuning" in res.stderr
    as_json = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--split", "heldout", "--json"])
    assert "not for tuning" in as_json.stderr
    assert list(json.loads(as_json.stdout)["splits"]) == ["heldout"]
    refused = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--split", "dev", "--update-floors"])
    assert refused.exit_code == 2


def test_evaluate_cli_exits_2_when_corpus_missing(gold_set: tuple[Path, Path], tmp_path: Path) -> None:
    gold_dir, _ = gold_set
    res = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(tmp_path / "nowhere")])
    assert res.exit_code == 2
    assert "corpus folder" in res.stderr and "not found" in res.stderr and "--corpus" in res.stderr


def test_evaluate_cli_reports_extraction_errors_and_fails_the_gate(
    gold_set: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_dir, corpus = gold_set
    _use(monkeypatch, good_extractor)
    assert runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus), "--update-floors"]).exit_code == 0

    def broken(doc: Document) -> Extraction:
        raise RuntimeError("boom")

    _use(monkeypatch, broken)
    res = runner.invoke(app, ["eval", str(gold_dir), "--corpus", str(corpus)])
    assert res.exit_code == 1 and "extraction failed: RuntimeError: boom — 2 article(s): t:1, t:2" in res.stdout
    assert "extraction raised on 2 article(s), e.g. t:1: RuntimeError: boom" in res.stdout


# --- the real gold set ------------------------------------------------------------------------


def test_evaluate_gold_evidence_is_found_in_cleaned_documents() -> None:
    """Every quote in the gold set is in the title or text of the Document the pipeline builds,
    so cleaning keeps what the annotators read."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    settings = Settings()
    articles = load_gold(GOLD)
    records = read_records(CORPUS, articles, settings)
    missing: list[str] = []
    for a in articles:
        outcome = build_document(records[a.id], settings)
        doc = outcome.document
        if doc is None or str(outcome.status) != "processed":
            missing.append(f"{a.id}: not processed ({outcome.status}: {outcome.reason})")
            continue
        quotes = [(f"event {i} {k}", q) for i, e in enumerate(a.events) for k, q in e.evidence.items()]
        quotes += [(f"tally {i}", t.evidence) for i, t in enumerate(a.tallies)]
        missing += [f"{a.id} {where}: {q!r}" for where, q in quotes if q not in doc.text and q not in doc.title]
    assert not missing, "\n".join(missing)
    assert len(articles) == len(records) >= 100


def test_evaluate_real_gold_set_is_scored_end_to_end() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    ev = evaluate(GOLD, CORPUS, empty_extractor)
    total = ev.scores["all"].counts
    assert total["articles"] == len(ev.results) and total["not_processed"] == 0
    assert total["gold_events"] == sum(len(r.gold.events) for r in ev.results) > 0
    assert ev.scores["all"].value("event_recall") == 0.0 and ev.scores["all"].value("event_precision") is None
    assert ev.scores["dev"].counts["articles"] + ev.scores["heldout"].counts["articles"] == total["articles"]
    assert len(ev.corpus_hash) == 64
