"""Readers: turn inputs (files, folders, globs, stdin) into :class:`~marsad.model.RawRecord` s."""

from marsad.ingest.sources import iter_records

__all__ = ["iter_records"]
