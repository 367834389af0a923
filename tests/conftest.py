from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "corpus"
SEED = SHARED / "corpus" / "seed" / "000_72491fde59c97982.txt"

# A short report written for these tests (not from any outlet).
REPORT = (
    "دمشق – خاص: قُتل خمسة مدنيين بينهم طفلان وأصيب ثمانية آخرون، اليوم الثلاثاء، جراء قصف مدفعي "
    "استهدف أحياء سكنية في مدينة دوما بريف دمشق، بحسب ما أفاد به الدفاع المدني السوري. "
    "وقالت مصادر محلية إن القذائف سقطت على سوق شعبي مزدحم في ساعات الصباح، ما تسبب بأضرار كبيرة "
    "في المحال التجارية والمنازل المجاورة، فيما نقلت فرق الإسعاف المصابين إلى مشفى ميداني قريب."
)
REPORT_2 = (
    "بغداد – قال مصدر أمني عراقي إن ثلاثة من عناصر الشرطة قتلوا وأصيب اثنان آخران بانفجار عبوة ناسفة "
    "استهدفت دوريتهم على الطريق الرابط بين بعقوبة والمقدادية في محافظة ديالى مساء أمس الأربعاء. "
    "وأضاف المصدر أن قوة أمنية طوقت مكان الانفجار وفتحت تحقيقاً لمعرفة الجهة المسؤولة عن الهجوم."
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "test.duckdb")
    yield s
    s.close()


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def published() -> dt.date:
    return dt.date(2019, 4, 28)
