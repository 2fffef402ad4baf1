"""Every notebooks/*.ipynb runs top to bottom in a fresh kernel of this venv, and shows no raw value.

The notebooks are stored without outputs; each is executed from a temporary copy (nbclient, kernel
``python3``). After the notebook's own cells, an audit cell lists the raw values the notebook held
(the variables named in RAW_INPUTS: a lake folder or DataFrames read from it) so that the outputs can
be grepped for them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

from tests.report.rawvalues import leaks

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
KERNEL = "python3"
# Per notebook, the variables that hold scanned data: a lake folder (Path) or DataFrames.
RAW_INPUTS: dict[str, tuple[str, ...]] = {
    "01_quickstart": ("lake", "customers"),
    "02_pre_sharing_check": ("lake", "customers"),
    "03_custom_recognizer": ("orders",),
    "04_appi_processing": ("lake",),
}
DEFAULT_RAW_INPUTS = ("lake",)

PREFIX_CHECK = """import sys
assert sys.prefix == {prefix!r}, f"kernel runs {{sys.executable}}, not the venv's python"
"""
AUDIT = """import json as _json
import sys as _sys
from pathlib import Path as _Path
_sys.path.insert(0, {repo!r})
import pandas as _pd
from tests.report.rawvalues import MIN_CHARS as _MIN, raw_values as _raw_values
_values = set()
for _name in {names!r}:
    assert _name in globals(), f"the notebook no longer defines {{_name!r}}; update RAW_INPUTS in tests/report/test_notebooks.py"
    _held = globals()[_name]
    if isinstance(_held, _Path):
        _values |= _raw_values(_held)
    elif isinstance(_held, _pd.DataFrame):
        _values |= {{str(v).strip() for v in _held.astype("string").stack().tolist() if len(str(v).strip()) >= _MIN}}
    else:
        raise AssertionError(f"{{_name}} is neither a folder nor a DataFrame")
_Path({dump!r}).write_text(_json.dumps(sorted(_values), ensure_ascii=False), encoding="utf-8")
"""


def _output_text(output: Any) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return "\n".join(str(v) for k, v in data.items() if k.startswith("text/") or k.endswith("json"))


@pytest.fixture(scope="module")
def venv_kernel() -> Iterator[str]:
    """The ``python3`` kernelspec of this venv, installed into sys.prefix when missing."""
    manager = KernelSpecManager()
    try:
        spec_dir = Path(manager.get_kernel_spec(KERNEL).resource_dir).resolve()
    except NoSuchKernel:
        spec_dir = None
    if spec_dir is None or not spec_dir.is_relative_to(Path(sys.prefix).resolve()):
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL], check=True)
    yield KERNEL


def test_notebooks_exist() -> None:
    assert {"01_quickstart", "03_custom_recognizer"} <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has stored outputs"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_no_raw_value(
    path: Path, venv_kernel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The venv's own kernelspec first, whatever a user-level python3 kernel says.
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    own_cells = len(notebook.cells)
    dump = tmp_path / "raw_values.json"
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PREFIX_CHECK.format(prefix=sys.prefix)))
    names = RAW_INPUTS.get(path.stem, DEFAULT_RAW_INPUTS)
    notebook.cells.append(nbformat.v4.new_code_cell(AUDIT.format(repo=str(REPO), names=names, dump=str(dump))))
    copy = tmp_path / path.name
    nbformat.write(notebook, copy)

    client = NotebookClient(
        notebook, timeout=600, kernel_name=venv_kernel, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the traceback, if any cell fails

    own = notebook.cells[1 : own_cells + 1]
    outputs = [o for cell in own if cell.cell_type == "code" for o in cell.outputs]
    assert outputs, f"{path.name} produced no output"
    stderr = [o["text"] for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert stderr == [], f"{path.name} wrote to stderr: {stderr}"
    values = set(json.loads(dump.read_text(encoding="utf-8")))
    assert len(values) > 50, f"{path.name}: the audit found too few raw values to make the check meaningful"
    shown = "\n".join(_output_text(o) for o in outputs)
    assert leaks(shown, values) == [], f"{path.name} shows raw values"
