"""Storage: the embedded DuckDB database (schema created and migrated by version)."""

from marsad.store.duck import Store

__all__ = ["Store"]
