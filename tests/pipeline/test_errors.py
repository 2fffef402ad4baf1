"""One error tree: every piiscan error pickles (Dask ships them) and carries its own exit code."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest
import typer

import pipeline
from pipeline.cli.output import exits_on_error
from pipeline.errors import (
    CatalogError,
    ConfigError,
    OutputError,
    PiiscanError,
    ReadError,
    ReportQueryError,
    ScanFailed,
    TableError,
)
from pipeline.gate import ExportBlocked, GateUndecidable, UnknownDestination
from pipeline.models import ScanIssue

INSTANCES: list[PiiscanError] = [
    PiiscanError("root"),
    ConfigError("bad config"),
    ReadError("lake/a.csv", "not UTF-8"),
    ReadError(path="lake/b.csv", problem="truncated"),
    OutputError("disk full"),
    ScanFailed("workers died"),
    CatalogError("locked"),
    ReportQueryError("unknown column"),
    TableError("deletion vectors"),
    UnknownDestination("no such destination"),
    ExportBlocked("blocked", ()),
    GateUndecidable("cannot decide", (ScanIssue("lake/x.csv", "unreadable", "read_error"),)),
]


def _all_error_classes() -> set[type[PiiscanError]]:
    for module in pkgutil.iter_modules(pipeline.__path__):
        if module.name != "__main__":  # running it would start the CLI
            importlib.import_module(f"pipeline.{module.name}")
    found: set[type[PiiscanError]] = set()
    todo: list[type[PiiscanError]] = [PiiscanError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return {cls for cls in found if cls.__module__.startswith("pipeline")}


def test_every_error_class_is_covered_here() -> None:
    assert _all_error_classes() == {type(e) for e in INSTANCES}


@pytest.mark.parametrize("error", INSTANCES, ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_attributes(error: PiiscanError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.message == error.message and str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_exit_codes_come_from_the_class() -> None:
    assert {type(e).__name__: e.exit_code for e in INSTANCES if e.exit_code != 2} == {"ExportBlocked": 1}
    for error in INSTANCES:
        with pytest.raises(typer.Exit) as info, exits_on_error():
            raise error
        assert info.value.exit_code == error.exit_code


def test_exits_on_error_lets_other_exceptions_through_and_runs_the_hook() -> None:
    seen: list[str] = []
    with pytest.raises(typer.Exit), exits_on_error(lambda exc: seen.append(exc.message)):
        raise ConfigError("x")
    assert seen == ["x"]
    with pytest.raises(ValueError), exits_on_error():
        raise ValueError("a bug is not a piiscan error")


def test_public_functions_have_their_real_signatures() -> None:
    from pipeline.anonymizer import anonymize
    from pipeline.api import scan
    from pipeline.gate import check

    assert (pipeline.scan, pipeline.check, pipeline.anonymize) == (scan, check, anonymize)
    assert "destination" in inspect.signature(pipeline.check).parameters
    assert "config" in inspect.signature(pipeline.scan).parameters
    with pytest.raises(AttributeError):
        _ = pipeline.no_such_name
