"""Arabic text primitives: normalisation with offset maps, dates."""
