"""The same verdicts whatever the partitioning (1 vs 7) and whatever the row order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.report import ScanReport
from tests.datagen.lake import generate_lake


@pytest.fixture(scope="module")
def frame(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    lake = tmp_path_factory.mktemp("lake")
    generate_lake(lake, seed=11, rows=240)
    customers = pq.read_table(lake / "crm" / "customers.parquet").to_pandas()
    tickets = pd.read_csv(lake / "support" / "tickets.csv", dtype=str, encoding="utf-8-sig")
    return pd.concat([customers.reset_index(drop=True), tickets[["本文"]].reset_index(drop=True)], axis=1)


def _verdicts(report: ScanReport) -> dict[str, Any]:
    (dataset,) = report.datasets
    return {
        column.name: (
            column.categories,
            tuple((e.type, round(e.ratio, 6), round(e.score, 6), e.examples) for e in column.entities),
        )
        for column in dataset.columns
    }


def test_partitioning_and_row_order_do_not_change_verdicts(frame: pd.DataFrame) -> None:
    whole = _verdicts(pipeline.scan(frame, scheduler="sync"))
    assert any(cats == ("personal",) for cats, _ in whole.values())
    seven = _verdicts(pipeline.scan(dd.from_pandas(frame, npartitions=7), scheduler="sync"))
    shuffled = _verdicts(pipeline.scan(frame.sample(frac=1.0, random_state=3).reset_index(drop=True), scheduler="sync"))
    assert seven == whole
    assert shuffled == whole


def test_files_split_seven_ways_give_the_same_verdicts(frame: pd.DataFrame, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    frame.to_csv(one / "customers.csv", index=False)
    many = tmp_path / "many" / "customers"
    for index, part in enumerate(range(0, len(frame), -(-len(frame) // 7))):
        folder = many / f"part={index}"
        folder.mkdir(parents=True)
        frame.iloc[part : part + -(-len(frame) // 7)].to_csv(folder / "data.csv", index=False)
    single = pipeline.scan(str(one), scheduler="sync")
    split = pipeline.scan(str(tmp_path / "many"), scheduler="sync")
    assert [d.dataset for d in split.datasets] == ["customers"]
    assert len(split.datasets[0].files) == 7
    assert _verdicts(split) == _verdicts(single)


def test_dataframe_api_gives_a_browsable_report(frame: pd.DataFrame) -> None:
    report = pipeline.scan(frame, scheduler="sync", name="customers")
    table = report.to_pandas()
    assert set(table.columns) >= {"dataset", "column", "categories", "explanation"}
    personal = report.columns(category="personal")
    assert "氏名" in set(personal["column"])
    assert "PERSON" in report.explain("customers", "氏名")
    assert report.to_dict()["datasets"][0]["format"] == "dataframe"


def test_encyclopedic_prose_is_not_special_care_but_a_customer_s_words_are() -> None:
    encyclopedic = [
        "糖尿病は、インスリンの作用不足による慢性の高血糖状態を主徴とする代謝疾患群である。",
        "仏教は紀元前5世紀頃にインドで始まった宗教であり、日本には6世紀に伝来した。",
        "高血圧は脳卒中や心臓病の主要な危険因子として知られている。",
        "キリスト教は世界で最も信者の多い宗教とされる。",
        "京都大学は1897年に設立された日本の国立大学である。",
        "東京都は日本の首都であり、関東地方に位置する。",
    ] * 10
    personal = [
        "持病の糖尿病があるので、糖質の表示をもっと大きくしてほしいです。",
        "高血圧で通院中のため塩分量が気になります。",
        "イスラム教徒なのでハラール認証があると嬉しいです。",
        "うつ病で休職中ですが、この商品に助けられています。",
        "京都大学を卒業してから、ずっと愛用しています。",
        "東京都在住ですが、配送がいつも早くて助かります。",
    ] * 10
    frame = pd.DataFrame({"本文": encyclopedic, "自由記述": personal})
    report = pipeline.scan(frame, scheduler="sync")
    by_name = {c.name: set(c.categories) for c in report.datasets[0].columns}
    assert not by_name["本文"] & {"sensitive.health", "sensitive.belief", "attribute", "personal"}
    assert {"sensitive.health", "sensitive.belief", "personal"} <= by_name["自由記述"]
