"""Marsad on Apache Spark: the same per-document pipeline over web-archive-sized inputs.

``marsad spark INPUT... --output DIR`` (or :func:`marsad.spark.driver.run_spark`) reads WARC,
JSONL and text inputs from local paths or Hadoop URIs, runs :class:`marsad.pipeline.Pipeline`
on the executors, decides duplicates across the whole input as the local runner does, and writes
Parquet tables that :mod:`marsad.store.parquet` reads back as a store. PySpark is an optional
extra (``pip install 'marsad[spark]'``); it is imported only when a Spark run starts.

Modules: :mod:`.inputs` (what to read, in which order), :mod:`.partition` (executor side),
:mod:`.rows` (table rows and schemas), :mod:`.dedup` (cross-document duplicates) and
:mod:`.driver` (the stages).
"""
