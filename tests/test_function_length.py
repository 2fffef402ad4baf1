"""scripts/check_function_length.py: no function in pipeline/ over 60 lines, except those named one by one."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_function_length", ROOT / "scripts" / "check_function_length.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


script = _load_script()


def _function(name: str, lines: int, indent: str = "") -> str:
    """A function of exactly ``lines`` lines, def line included."""
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 2))
    return f"{indent}def {name}() -> int:\n{body}{indent}    return 0\n"


def _project(tmp_path: Path, source: str, allow: list[str] | None = None, max_lines: int = 60) -> Path:
    package = tmp_path / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "mod.py").write_text(source, encoding="utf-8")
    listed = ", ".join(f'"{name}"' for name in allow or [])
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.piiscan.function-length]\nmax-lines = {max_lines}\nallow = [{listed}]\n", encoding="utf-8"
    )
    return tmp_path


def test_pipeline_is_within_the_limit_apart_from_the_listed_functions() -> None:
    assert script.main(["--root", str(ROOT), "pipeline"]) == 0


def test_a_function_one_line_over_the_limit_fails_and_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, _function("short", 60) + "\n\n" + _function("long", 61))
    assert script.main(["--root", str(root), "pkg"]) == 1
    err = capsys.readouterr().err
    assert "pkg/mod.py:" in err and "pkg.mod:long is 61 lines long (limit 60)" in err
    assert "pkg.mod:short" not in err


def test_methods_and_nested_functions_are_checked_by_qualified_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = "def outer() -> None:\n" + _function("inner", 70, indent="    ") + "\n\nclass Model:\n" + _function("method", 62, indent="    ")
    root = _project(tmp_path, nested)
    assert script.main(["--root", str(root), "pkg"]) == 1
    err = capsys.readouterr().err
    assert "pkg.mod:outer.<locals>.inner is 70 lines" in err
    assert "pkg.mod:outer is 71 lines" in err
    assert "pkg.mod:Model.method is 62 lines" in err


def test_an_allowed_function_passes_and_a_stale_entry_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, _function("long", 80), allow=["pkg.mod:long"])
    assert script.main(["--root", str(root), "pkg"]) == 0
    root_stale = _project(tmp_path / "stale", _function("long", 30), allow=["pkg.mod:long"])
    assert script.main(["--root", str(root_stale), "pkg"]) == 1
    assert "pkg.mod:long is no longer a function over 60 lines; remove it" in capsys.readouterr().err


def test_a_bad_allow_list_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, _function("f", 3), allow=["long"])
    assert script.main(["--root", str(root), "pkg"]) == 2
    assert "allow must list 'module:function' names" in capsys.readouterr().err


def test_the_limit_comes_from_pyproject(tmp_path: Path) -> None:
    source = textwrap.dedent(_function("f", 20))
    assert script.main(["--root", str(_project(tmp_path, source, max_lines=19)), "pkg"]) == 1
    assert script.main(["--root", str(_project(tmp_path / "b", source, max_lines=20)), "pkg"]) == 0
