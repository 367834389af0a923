"""Language identification with py3langid (its model ships inside the package: no download).

py3langid separates Standard Arabic (``ar``) from Egyptian (``arz``) and Moroccan (``ary``); all
three are Arabic for Marsad. A text whose letters are overwhelmingly Arabic script but that the
model is unsure about is taken as Arabic unless it has letters only Persian, Urdu or Kurdish use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["Identified", "identify"]

ARABIC_VARIETIES = frozenset({"ar", "arz", "ary", "apc", "acm", "ajp", "aeb", "arq", "afb"})
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# letters that Persian, Urdu, Pashto, Kurdish or Sindhi use and Arabic does not
_NON_ARABIC_SCRIPT_LETTER = re.compile(r"[پچژگکیۀےہںٹڈڑۆێڕڵټډړږښګڼۍې]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Identified:
    language: str  # ISO 639 code; "ar" for every Arabic variety; "und" when too little text
    score: float
    detail: str  # the model's own label


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str, sample_chars: int = 4000) -> Identified:
    sample = text[:sample_chars]
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return Identified("und", 0.0, "no letters")
    arabic_share = len(_ARABIC_LETTER.findall(sample)) / letters
    if arabic_share >= 0.9 and letters >= 200 and not _NON_ARABIC_SCRIPT_LETTER.search(sample):
        # Arabic script with none of the letters of the other languages written in it: the model
        # would only confirm it (checked on the 2,196 articles of ../shared/corpus: all Arabic)
        return Identified("ar", arabic_share, "arabic script")
    label, prob = _identifier().classify(sample)
    if label in ARABIC_VARIETIES:
        return Identified("ar", float(prob), label)
    if arabic_share >= 0.8 and prob < 0.9 and not _NON_ARABIC_SCRIPT_LETTER.search(sample):
        return Identified("ar", arabic_share, f"{label} (low confidence; Arabic script)")
    return Identified(label, float(prob), label)
