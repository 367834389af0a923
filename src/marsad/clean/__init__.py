"""Cleaning: HTML main text, residual boilerplate, metadata, language, duplicates."""
