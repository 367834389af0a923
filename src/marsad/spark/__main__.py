"""Entry file for ``spark-submit``: ``spark-submit [options] .../marsad/spark/__main__.py INPUT... --output DIR``
runs ``marsad spark`` with the master and resources spark-submit was given (see docs/scale.md)."""

from __future__ import annotations

import sys

from marsad.cli import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "spark", *sys.argv[1:]]
    main()
