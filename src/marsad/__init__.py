"""Marsad (مرصد): Arabic conflict news to a verified, geocoded, source-attributed event dataset."""

__version__ = "0.1.0"
