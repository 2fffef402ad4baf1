import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.device_id import DeviceIdRecognizer
from tests.recognizers import support

REC = DeviceIdRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
AAID = "38400000-8cf0-11bd-b23e-10b96e40000d"


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        (IDFA, IDFA, 0.3, 0.5),
        (AAID, AAID, 0.3, 0.5),
        ("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000", 0.3, 0.5),
        (f"IDFA:{IDFA}", IDFA, 0.7, 1.0),
        (f"広告IDは{AAID}です", AAID, 0.7, 1.0),
        (f"端末ID＝{IDFA.lower()}", IDFA.lower(), 0.7, 1.0),
        (f"deviceId: {AAID}", AAID, 0.7, 1.0),
        (f"注文ID: なし IDFA {IDFA}", IDFA, 0.7, 1.0),  # the nearest label counts
    ],
)
def test_device_id_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "6d92078a-8246-4BA4-ae5b-76104861e7dc",  # mixed case
        "6D92078A-8246-4BA4-AE5B-76104861E7DC-01",  # longer key
        "6D92078A82464BA4AE5B76104861E7DC",  # no hyphens (left to hash/ID columns)
        "ABCD-1234-EFGH",
        "2024-01-15",
        # UUIDs labelled as other identifiers: order, request, trace, session, user keys.
        "注文ID: de8b4c54-3f22-424b-b9e5-9f53f540229a",
        "request_id=2aa69049-8a13-4f98-923a-d75cd1e8728d",
        "traceId: 2aa69049-8a13-4f98-923a-d75cd1e8728d",
        "transaction 2aa69049-8a13-4f98-923a-d75cd1e8728d",
        "session_id=2aa69049-8a13-4f98-923a-d75cd1e8728d",
        "ユーザーID：2aa69049-8a13-4f98-923a-d75cd1e8728d",
    ],
)
def test_device_id_decoys(text: str) -> None:
    assert found(text) == []


@given(st.uuids(), st.booleans())
def test_every_uuid_is_found(value: uuid.UUID, upper: bool) -> None:
    text = str(value).upper() if upper else str(value)
    assert [span for span, _ in found(f"端末{text}で")] == [text]
    assert prefilter_hits(text)
