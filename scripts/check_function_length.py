"""Fail when a function in pipeline/ is longer than the limit (60 lines, ``def`` line to last line).

Long functions are where piiscan's steps got tangled (design review §4): the limit keeps each step small
enough to read and test alone. Functions still waiting for their refactor are named one by one in
``[tool.piiscan.function-length] allow`` of pyproject.toml as ``module:qualified.name``; an entry that no
longer names a long function is an error too, so the list can only shrink.

Usage: python scripts/check_function_length.py [--root DIR] [PACKAGE ...]   (default package: pipeline)
Exit status 0 when every function is within the limit, 1 otherwise, 2 on a bad configuration.
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_LINES = 60


@dataclass(frozen=True)
class Function:
    name: str  # module:qualified.name, e.g. pipeline.api:scan or pipeline.policy:PolicyModel._known_ids
    path: Path
    line: int
    lines: int


def _functions(tree: ast.AST, module: str, path: Path) -> Iterator[Function]:
    def visit(node: ast.AST, prefix: str) -> Iterator[Function]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                qualified = f"{prefix}{child.name}"
                end = child.end_lineno if child.end_lineno is not None else child.lineno
                yield Function(f"{module}:{qualified}", path, child.lineno, end - child.lineno + 1)
                yield from visit(child, f"{qualified}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.")
            else:
                yield from visit(child, prefix)

    yield from visit(tree, "")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_functions(root: Path, packages: list[str]) -> list[Function]:
    found: list[Function] = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_bytes(), filename=str(path))
            found.extend(_functions(tree, _module_name(path, root), path.relative_to(root)))
    return found


def read_settings(pyproject: Path) -> tuple[int, frozenset[str]]:
    """The limit and the allow-list from ``[tool.piiscan.function-length]`` (both optional)."""
    if not pyproject.exists():
        return DEFAULT_MAX_LINES, frozenset()
    table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("piiscan", {})
    settings = table.get("function-length", {})
    max_lines = settings.get("max-lines", DEFAULT_MAX_LINES)
    allow = settings.get("allow", [])
    if not isinstance(max_lines, int) or isinstance(max_lines, bool) or max_lines < 1:
        raise ValueError(f"{pyproject}: [tool.piiscan.function-length] max-lines must be a positive whole number")
    if not isinstance(allow, list) or not all(isinstance(name, str) and ":" in name for name in allow):
        raise ValueError(f"{pyproject}: [tool.piiscan.function-length] allow must list 'module:function' names")
    return max_lines, frozenset(allow)


def check(functions: list[Function], max_lines: int, allow: frozenset[str]) -> list[str]:
    """One message per function over the limit that is not allowed, and per allow-list entry that is stale."""
    problems: list[str] = []
    long_names = set()
    for function in functions:
        if function.lines <= max_lines:
            continue
        long_names.add(function.name)
        if function.name not in allow:
            problems.append(
                f"{function.path}:{function.line}: {function.name} is {function.lines} lines long "
                f"(limit {max_lines}): split it into named steps"
            )
    for name in sorted(allow - long_names):
        problems.append(
            f"pyproject.toml [tool.piiscan.function-length] allow: {name} is no longer a function over "
            f"{max_lines} lines; remove it from the list"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("packages", nargs="*", default=["pipeline"])
    args = parser.parse_args(argv)
    try:
        max_lines, allow = read_settings(args.root / "pyproject.toml")
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        print(exc, file=sys.stderr)
        return 2
    problems = check(find_functions(args.root, args.packages), max_lines, allow)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
