"""The analyst workspace: a REST API and a web map over a Marsad database (``marsad serve``).

Modules: :mod:`.db` (the one connection every query uses), :mod:`.filters` (query parameters to
parameterised SQL), :mod:`.queries` (reads), :mod:`.search` (Arabic text search),
:mod:`.exports` (ACLED CSV, GeoJSON, JSON Lines of the filtered, reviewed events),
:mod:`.ingest` (articles posted to the API, through the pipeline), :mod:`.auth`,
:mod:`.ratelimit` and :mod:`.security` (token, write limits, headers and request size),
:mod:`.app` (the FastAPI application) and ``static/`` (the dashboard).
"""
