"""APPI processing standards: 匿名加工情報 (施行規則第34条 1–5号) and 仮名加工情報 (第31条 1–3号).

Pure functions first (table tests, no scan), then exports scanned end to end: one export per failing item
fails exactly that item with its article; ``anonymize`` fixes them all and its copy passes on re-check; a
pseudonymised copy passes 第31条 and is still blocked for ``third_party``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

import pipeline
from pipeline import appi
from pipeline.anonymizer import suppress_rare, top_bottom_code
from pipeline.errors import ConfigError
from pipeline.gate import check, evaluate
from pipeline.models import ColumnResult, DatasetResult, EntityFinding
from pipeline.policy import load_policy
from pipeline.report import ScanReport
from pipeline.settings import DEFAULT_POLICY
from recognizers.checksums import my_number_check_digit

runner = CliRunner()
POLICY = load_policy()
ANONYMIZED = POLICY.model.destinations["anonymized"].appi
PSEUDONYMIZED = POLICY.model.destinations["pseudonymized"].appi
assert ANONYMIZED is not None and PSEUDONYMIZED is not None


# ---------------------------------------------------------------- the policy as data


def test_every_rule_carries_its_article_and_item() -> None:
    assert [(i.article, i.item, i.check) for i in ANONYMIZED.items] == [
        (34, 1, "identifying_descriptions"), (34, 2, "identifier_codes"), (34, 3, "linking_codes"),
        (34, 4, "peculiar_descriptions"), (34, 5, "database_nature"),
    ]
    assert [(i.article, i.item, i.check) for i in PSEUDONYMIZED.items] == [
        (31, 1, "identifying_descriptions"), (31, 2, "identifier_codes"), (31, 3, "financial_harm"),
    ]
    assert PSEUDONYMIZED.forbidden_destinations == ("third_party",)
    assert set(PSEUDONYMIZED.items[2].categories) == {"financial", "credential"}


def _policy_with(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))
    assert callable(edit)
    edit(data["destinations"]["anonymized"]["appi"])
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a["items"][0].update(article=31), "belongs to article 34"),
        (lambda a: a["items"][1].update(item=1), "appears twice"),
        (lambda a: a["items"][3].pop("min_count"), "needs min_count"),
        (lambda a: a["items"][4].pop("k_threshold"), "needs k_threshold"),
        (lambda a: a["items"][0].update(categories=["personel"]), "unknown category"),
        (lambda a: a["items"][2].update(id_column_pattern="(unclosed"), "not a regular expression"),
        (lambda a: a["items"][0].update(action="generalise_and_suppress"), "action must be drop or hash"),
        (lambda a: a.update(forbidden_destinations=["nowhere"]), "forbidden_destinations needs"),
    ],
)
def test_a_bad_standard_fails_at_load(tmp_path: Path, edit: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_policy(_policy_with(tmp_path, edit))


# ---------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("values", "kind", "suggestion"),
    [
        (["30", "35", "40", "45"] * 50 + ["116"], "upper_tail", "top-code 年齢 at the 99th percentile (values above → 45)"),
        (["30歳", "35歳", "40歳"] * 40 + ["2歳"], "lower_tail", "bottom-code 年齢 at the 1th percentile (values below → 30)"),
        (["1980-01-01", "1980-06-01", "1981-01-01"] * 40 + ["1890-01-01"], "lower_tail", "values below → 1980-01"),
        (["会社員", "公務員", "学生"] * 40 + ["鷹匠"], "rare", "generalise 年齢 or suppress values held by fewer than 3 rows"),
    ],
)
def test_peculiar_values_are_found_from_the_data(values: list[str], kind: str, suggestion: str) -> None:
    frame = pd.DataFrame({"年齢": values})
    (found,) = appi.peculiar_values(frame, ["年齢"], min_count=3, percentile=99)
    assert found.kind == kind and found.count == 1
    assert suggestion in found.suggestion
    assert "*" in found.masked and values[-1] not in found.masked  # masked (pipeline.masking)
    assert appi.peculiar_rows(frame, ["年齢"], 3, 99).sum() == 1


@pytest.mark.parametrize(
    "values",
    [
        ["30", "35", "40", "45"] * 50,  # common values only
        [str(v) for v in range(20, 70)] * 3,  # every value thrice
        ["会社員", None, "学生"] * 40,  # nulls are not descriptions
    ],
)
def test_no_peculiar_value_in_common_data(values: list[str | None]) -> None:
    assert appi.peculiar_values(pd.DataFrame({"c": values}), ["c"], 3, 99) == []


def test_k_violations_list_minimal_combinations() -> None:
    frame = pd.DataFrame({"sex": ["男性"] * 10 + ["女性"] * 10 + ["男性"], "pref": ["東京都"] * 10 + ["大阪府"] * 11})
    (violation,) = appi.k_violations(frame, ["sex", "pref"], k=5, max_size=3)
    assert violation.columns == ("sex", "pref") and violation.k_min == 1 and violation.rows_below_k == 1
    assert appi.k_violations(frame.iloc[:20], ["sex", "pref"], 5, 3) == []
    single = pd.DataFrame({"age": ["30"] * 9 + ["31"]})
    assert appi.k_violations(single, ["age"], 5, 3)[0].columns == ("age",)


@pytest.mark.parametrize(
    ("values", "expected", "changed"),
    [
        (["30", "40"] * 60 + ["116"], ["30", "40"] * 60 + ["40"], 1),
        (["2000-01-01", "2000-02-01"] * 60 + ["2090-01-01"], ["2000-01-01", "2000-02-01"] * 60 + ["2000-02-01"], 1),
        (["a", "b"], ["a", "b"], 0),
    ],
)
def test_top_and_bottom_coding(values: list[str], expected: list[str], changed: int) -> None:
    assert top_bottom_code(list(values), 99) == (expected, changed)


def test_suppress_rare_counts_kept_rows_only() -> None:
    values: list[str | None] = ["a", "a", "a", "b", "b", None]
    keep = np.array([True, True, True, True, False, True])
    assert suppress_rare(values, keep, 2) == (["a", "a", "a", None, None, None], 2)


def _column(name: str, *, categories: tuple[str, ...] = (), entity: str | None = None, evidence: tuple[str, ...] = ("values",),
            distinct: int = 100, quasi: bool = False, non_null: int = 100) -> ColumnResult:
    entities = (EntityFinding(entity, 0.9, 1.0, evidence, ()),) if entity else ()
    return ColumnResult(name, categories, entities, quasi_identifier=quasi, data_type="string", non_null=non_null,
                        distinct_estimate=distinct, value_hits=entities)


@pytest.mark.parametrize(
    ("name", "distinct", "expected"),
    [("customer_id", 100, True), ("顧客番号", 90, True), ("record key", 60, True), ("paid", 2, False),
     ("customer_id", 10, False), ("notes", 100, False)],
)
def test_internal_ids_by_name_and_distinctness(name: str, distinct: int, expected: bool) -> None:
    rule = ANONYMIZED.items[2]
    assert appi.looks_like_internal_id(_column(name, distinct=distinct), rule, 100) is expected


def test_a_keyed_hash_column_is_a_replacement_but_a_name_is_not() -> None:
    assert appi.is_keyed_hash_column(pd.Series(["0123456789abcdef0123456789abcdef", None] * 3))
    assert not appi.is_keyed_hash_column(pd.Series(["山田 太郎"] * 3))
    assert not appi.is_keyed_hash_column(pd.Series(["0123456789abcdef"] * 3))  # 64 bits: too short for a keyed hash
    assert not appi.is_keyed_hash_column(None)
    hashed = _column("氏名", categories=("personal",), entity="PERSON", evidence=("column_name",))
    frame = pd.DataFrame({"氏名": ["0123456789abcdef0123456789abcdef"] * 100})
    assert [r.status for r in appi.evaluate_dataset(_dataset(hashed), frame, PSEUDONYMIZED, POLICY)] == ["met"] * 3
    member = _column("会員番号", categories=("credential",), entity="MEMBER_ID", evidence=("column_name",))
    linked = appi.evaluate_dataset(_dataset(member), pd.DataFrame({"会員番号": ["0123456789abcdef0123456789abcdef"] * 100}), ANONYMIZED, POLICY)
    assert [r.item for r in linked if r.status == "not_met"] == [3]  # a hashed ID still links records


def _dataset(*columns: ColumnResult, rows: int = 100) -> DatasetResult:
    return DatasetResult("export.csv", "csv", rows, rows, columns)


def test_each_column_item_fails_alone_with_its_article() -> None:
    cases = {
        1: _column("氏名", categories=("personal",), entity="PERSON"),
        2: _column("個人番号", categories=("identifier_code",), entity="JP_MY_NUMBER"),
        3: _column("会員番号", categories=("credential",), entity="MEMBER_ID"),
    }
    for item, column in cases.items():
        results = appi.evaluate_dataset(_dataset(column), pd.DataFrame({column.name: ["x"] * 100}), ANONYMIZED, POLICY)
        assert [(r.article, r.item) for r in results if r.status == "not_met"] == [(34, item)]
        assert [r.status for r in results if r.item != item] == ["met"] * 4


def test_cannot_decide_without_data_or_with_free_text() -> None:
    age = _column("年齢", categories=("attribute",), entity="AGE", quasi=True)
    without_data = appi.evaluate_dataset(_dataset(age), None, ANONYMIZED, POLICY)
    assert [r.status for r in without_data] == ["met", "met", "met", "cannot_decide", "cannot_decide"]
    notes = ColumnResult("備考", (), (), data_type="string", non_null=100, distinct_estimate=100, free_text=True)
    frame = pd.DataFrame({"年齢": ["30"] * 100, "備考": ["…"] * 100})
    with_text = appi.evaluate_dataset(_dataset(age, notes), frame, ANONYMIZED, POLICY)
    assert with_text[3].status == "cannot_decide" and with_text[3].columns == ("備考",)
    binary = ColumnResult("blob", (), (), data_type="binary", non_null=5)
    assert appi.evaluate_dataset(_dataset(binary), pd.DataFrame({"blob": ["b"] * 100}), PSEUDONYMIZED, POLICY)[0].status == "cannot_decide"


def test_the_gate_fails_closed_on_an_undecidable_item() -> None:
    age = _column("年齢", categories=("attribute",), entity="AGE", quasi=True)
    report = ScanReport((_dataset(age),), (), "t0", "t1", "policy.yaml", "0" * 64)
    verdict = evaluate(report, POLICY, "anonymized")  # no refs: the values cannot be read
    assert verdict.decision == "undecidable" and verdict.exit_code == 2
    assert {p.kind for p in verdict.problems} == {"appi_cannot_decide"}
    assert [i["status"] for i in verdict.to_dict()["appi_items"]] == ["met", "met", "met", "cannot_decide", "cannot_decide"]


def test_merge_keeps_the_worst_status_and_names_datasets() -> None:
    rule = ANONYMIZED.items[0]
    met = appi.ItemResult(34, 1, rule.check, rule.text, "met")
    bad = appi.ItemResult(34, 1, rule.check, rule.text, "not_met", ("氏名",), ("氏名: PERSON",), "delete")
    (merged,) = appi.merge_items([("a.csv", [met]), ("b.csv", [bad])])
    assert merged.status == "not_met" and merged.columns == ("b.csv:氏名",) and merged.citation == "施行規則第34条第1号"


# ---------------------------------------------------------------- exports, scanned end to end

NAMES = ["佐藤 太郎", "鈴木 花子", "高橋 一郎", "田中 美咲", "伊藤 健太", "渡辺 陽子", "山本 翔", "中村 愛"]


def _my_number(i: int) -> str:
    first11 = f"{31415926000 + i * 7919:011d}"
    return first11 + str(my_number_check_digit(first11))


def _base_rows(n: int = 200) -> list[dict[str, str]]:
    # Every age, sex and prefecture is common, and every combination of them holds 25 rows (k = 25).
    ages, sexes, prefectures = ["30", "35", "40", "45"], ["男性", "女性"], ["東京都", "大阪府"]
    return [
        {"年齢": ages[i % 4], "性別": sexes[(i // 4) % 2], "都道府県": prefectures[(i // 4) % 2],
         "購入金額": str(1000 + (i * 37) % 9000)}
        for i in range(n)
    ]


def _with(rows: list[dict[str, str]], column: str, make: object) -> list[dict[str, str]]:
    assert callable(make)
    return [{column: make(i), **row} for i, row in enumerate(rows)]


def _export(root: Path, name: str, rows: list[dict[str, str]]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    with (folder / "export.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _odd_row(rows: list[dict[str, str]], **changes: str) -> list[dict[str, str]]:
    return [*rows, {**rows[0], **changes}]


FAILING = {
    "name_left_in": (1, lambda: _with(_base_rows(), "氏名", lambda i: NAMES[i % 8])),
    "my_number_left_in": (2, lambda: _with(_base_rows(), "個人番号", _my_number)),
    "member_id_kept": (3, lambda: _with(_base_rows(), "会員番号", lambda i: f"M{200000 + i}")),
    "one_116_year_old": (4, lambda: _odd_row(_base_rows(), 年齢="116")),
    "qi_set_with_k_1": (5, lambda: _odd_row(_base_rows(), 都道府県="大阪府")),  # 男性 + 大阪府: one row
}


@pytest.mark.parametrize("case", sorted(FAILING), ids=sorted(FAILING))
def test_each_export_fails_exactly_its_item(case: str, tmp_path: Path) -> None:
    item, rows = FAILING[case]
    assert callable(rows)
    source = _export(tmp_path, case, rows())
    verdict = check(str(source), "anonymized", scheduler="sync")
    assert verdict.decision == "blocked" and verdict.exit_code == 1, verdict.to_dict()
    failed = [(i.article, i.item) for i in verdict.appi_items if i.status != "met"]
    assert failed == [(34, item)], [i.to_dict() for i in verdict.appi_items]
    (reason,) = verdict.reasons
    assert reason.rule == "appi_processing_standard" and reason.policy_sentence.startswith(f"施行規則第34条第{item}号: ")
    assert reason.detail.startswith(f"施行規則第34条第{item}号 not met: ")
    assert not any("116" in e or "佐藤" in e for i in verdict.appi_items for e in i.evidence)  # masked


def _all_defects() -> list[dict[str, str]]:
    rows = _base_rows()
    rows = _with(rows, "会員番号", lambda i: f"M{200000 + i}")
    rows = _with(rows, "個人番号", _my_number)
    rows = _with(rows, "氏名", lambda i: NAMES[i % 8])
    rows = _odd_row(rows, 年齢="116", 会員番号="M300000", 個人番号=_my_number(999))
    return _odd_row(rows, 都道府県="大阪府", 会員番号="M300001", 個人番号=_my_number(998))


@pytest.fixture(scope="module")
def raw_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(tmp_path_factory.mktemp("appi"), "raw", _all_defects())


def test_anonymized_copy_passes_every_item(raw_export: Path, tmp_path: Path) -> None:
    before = check(str(raw_export), "anonymized", scheduler="sync")
    assert sorted(i.item for i in before.appi_items if i.status == "not_met") == [1, 2, 3, 4, 5]
    out = tmp_path / "anonymized"
    result = pipeline.anonymize(str(raw_export), "anonymized", out, scheduler="sync")
    assert [(i.item, i.status) for i in result.verdict.appi_items] == [(n, "met") for n in range(1, 6)]
    recheck = check(str(out), "anonymized", scheduler="sync")  # disclosure.md and _anonymize.json beside the data
    assert recheck.allowed and all(i.status == "met" for i in recheck.appi_items)
    table = pd.read_csv(out / "export.csv", dtype=str)
    assert not {"氏名", "個人番号", "会員番号"} & set(table.columns)
    assert "116" not in set(table.get("年齢", pd.Series(dtype=str)))
    disclosure = (out / "disclosure.md").read_text(encoding="utf-8")
    assert "法第43条第3項" in disclosure and "`attribute`" in disclosure and "`personal`" not in disclosure


def test_pseudonymized_copy_passes_article_31_but_not_third_party(raw_export: Path, tmp_path: Path, hash_key: str) -> None:
    out = tmp_path / "pseudonymized"
    result = pipeline.anonymize(str(raw_export), "pseudonymized", out, scheduler="sync")
    assert [(i.article, i.item, i.status) for i in result.verdict.appi_items] == [(31, n, "met") for n in (1, 2, 3)]
    table = pd.read_csv(out / "export.csv", dtype=str)
    assert "個人番号" not in table.columns and "会員番号" not in table.columns
    assert table["氏名"].str.fullmatch(r"[0-9a-f]{32}").all() and not set(NAMES) & set(table["氏名"])
    assert hash_key not in (out / "export.csv").read_text(encoding="utf-8")
    third = check(str(out), "third_party", scheduler="sync")
    assert third.decision == "blocked"
    forbidden = [r for r in third.reasons if r.rule == "appi_forbidden_destination"]
    assert forbidden and "法第41条第6項" in forbidden[0].policy_sentence


def test_pseudonymizing_needs_the_hash_key(raw_export: Path, tmp_path: Path, no_hash_key: None) -> None:
    with pytest.raises(ConfigError, match="PIISCAN_HASH_KEY"):
        pipeline.anonymize(str(raw_export), "pseudonymized", tmp_path / "p", scheduler="sync")
    assert not (tmp_path / "p").exists()


def test_cli_check_writes_one_line_per_item(raw_export: Path, tmp_path: Path, cli_app: typer.Typer) -> None:
    out = tmp_path / "verdict"
    run = runner.invoke(cli_app, ["check", str(raw_export), "--destination", "anonymized", "--out", str(out), "--scheduler", "sync"])
    assert run.exit_code == 1, run.output
    items = json.loads((out / "verdict.json").read_text(encoding="utf-8"))["appi_items"]
    assert [(i["citation"], i["status"]) for i in items] == [(f"施行規則第34条第{n}号", "not_met") for n in range(1, 6)]
    assert all(i["columns"] and i["evidence"] and i["action"] for i in items)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<tr class='appi-not_met'>") == 5 and "top-code 年齢" in html
    assert "佐藤 太郎" not in html


def test_codes_are_never_top_coded_and_rare_codes_are_peculiar() -> None:
    postal = _column("郵便番号", categories=("attribute",), entity="JP_POSTAL_CODE", quasi=True)
    frame = pd.DataFrame({"郵便番号": ["1000001"] * 60 + ["5300001"] * 59 + ["9071801"]})
    item4 = appi.evaluate_dataset(_dataset(postal, rows=120), frame, ANONYMIZED, POLICY)[3]
    assert item4.status == "not_met" and "rare" in item4.evidence[0] and "top-code" not in item4.action
    assert "9071801" not in " ".join(item4.evidence)


def test_top_coding_uses_the_kept_rows_only() -> None:
    values = ["30", "40"] * 60 + ["116", "200"]
    keep = np.array([True] * 121 + [False])  # the 200 row is suppressed already
    coded, changed = top_bottom_code(values, 99, keep)
    assert coded[-2] == "40" and changed == 2
