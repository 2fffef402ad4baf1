
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.geo_coordinate import GeoCoordinateRecognizer, coordinate_plausible
from tests.recognizers import support

REC = GeoCoordinateRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        ("35.6812, 139.7671", "35.6812, 139.7671", 0.4, 0.6),
        ("35.6812,139.7671", "35.6812,139.7671", 0.4, 0.6),
        ("-33.8688 151.2093", "-33.8688 151.2093", 0.4, 0.6),
        ("139.7671, 35.6812", "139.7671, 35.6812", 0.4, 0.6),  # GeoJSON order
        ("現在地は35.6812,139.7671です", "35.6812,139.7671", 0.8, 1.0),
        ("３５．６８１２，１３９．７６７１", "３５．６８１２，１３９．７６７１", 0.4, 0.6),
        ("北緯35度41分 東経139度46分", "北緯35度41分 東経139度46分", 0.8, 1.0),
        (
            "北緯３５度４１分２２秒、東経１３９度４６分",
            "北緯３５度４１分２２秒、東経１３９度４６分",
            0.8,
            1.0,
        ),
        ("lat=35.68&lon=139.76", "lat=35.68&lon=139.76", 0.8, 1.0),
        ('{"lat": 35.68, "lng": 139.76}', 'lat": 35.68, "lng": 139.76', 0.8, 1.0),
        ("緯度:35.6812 経度:139.7671", "緯度:35.6812 経度:139.7671", 0.8, 1.0),
        ("35°41'22\"N 139°46'0\"E", "35°41'22\"N 139°46'0\"E", 0.8, 1.0),
        ("https://maps.example.com/@35.6812,139.7671,15z", "35.6812,139.7671", 0.4, 0.6),
    ],
)
def test_geo_coordinate_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "1.5, 2.0",  # prices
        "価格 1,980円, 2,480円",
        "35.68, 139.76",  # too few decimals for a bare pair
        "1.2345, 2.3456, 3.4567",  # a list of numbers
        "0.1234, 0.5678",  # ratios
        "95.1234, 200.1234",  # out of range
        "lat=135&lon=35",  # latitude out of range
        "北緯35度",  # one half of a pair
        "北緯35度75分 東経139度46分",  # minutes out of range
        "35.6812",
        "2024.0115, 2024.0116",
        "v1.2345, 2.3456",
    ],
)
def test_geo_coordinate_decoys(text: str) -> None:
    assert found(text) == []


@given(
    st.floats(-90, 90, allow_nan=False).filter(lambda v: abs(v) >= 1),
    st.floats(-180, 180, allow_nan=False),
)
def test_every_valid_decimal_pair_is_found(lat: float, lon: float) -> None:
    text = f"位置{lat:.6f},{lon:.6f}です"
    assert [span for span, _ in found(text)] == [f"{lat:.6f},{lon:.6f}"]
    assert prefilter_hits(text)


@given(st.floats(90.0001, 999, allow_nan=False), st.floats(180.0001, 999, allow_nan=False))
def test_out_of_range_pair_is_rejected(first: float, second: float) -> None:
    assert not coordinate_plausible(f"{first:.4f}, {second:.4f}")
