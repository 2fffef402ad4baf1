"""Reading config YAML strictly, and saying what is wrong without repeating what the file holds.

A data file passed by mistake as ``--config`` or ``--policy`` must not reach the terminal or verdict.json:
errors give the file, line and column and the problem, and show a word from the file only when it is (or
nearly is) a word of piiscan's own config vocabulary. Duplicate keys are errors, not "last one wins".
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import ConfigError

Position = tuple[int, int]  # 1-based line, column


@dataclass(frozen=True)
class ConfigDocument:
    """A parsed YAML mapping, the sha256 of its bytes, and where each key stands in the file."""

    source: str
    data: dict[str, Any]
    sha256: str
    key_positions: dict[int, dict[Any, Position]] = field(default_factory=dict, repr=False)

    def position_of(self, loc: Iterable[int | str]) -> Position | None:
        """The position of the deepest key of ``loc`` that the file itself holds."""
        node: Any = self.data
        found: Position | None = None
        for part in loc:
            if isinstance(node, dict) and part in node:
                found = self.key_positions.get(id(node), {}).get(part, found)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                break
        return found


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and remembers each key's position."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_positions: dict[int, dict[Any, Position]] = {}


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Iterable[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    positions: dict[Any, Position] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in positions
        except TypeError:
            raise _DuplicateKey(problem="a mapping key must be a plain value", problem_mark=key_node.start_mark) from None
        if duplicate:
            raise _DuplicateKey(problem="duplicate key (each key may appear once)", problem_mark=key_node.start_mark)
        positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    data.update(loader.construct_mapping(node, deep=True))
    loader.key_positions[id(data)] = positions


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]

# YAML's own messages quote the offending text; keep only punctuation and token names from them.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_HARMLESS_QUOTE = re.compile(r"^(?:[^\w\s]{1,2}|\\[a-z]|<\w+>)$")


def _yaml_problem(text: str) -> str:
    return _QUOTED.sub(lambda m: m.group() if _HARMLESS_QUOTE.match(m.group()[1:-1]) else "…", text)


def parse_yaml(raw: bytes, source: str) -> ConfigDocument:
    """Safe-load a YAML mapping; any problem is a ConfigError naming ``source`` and a position, never content."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source} is not UTF-8 text (undecodable byte at offset {exc.start})") from None
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = "" if isinstance(exc, _DuplicateKey) else "not valid YAML: "
        raise ConfigError(f"{source}: {where}{what}{_yaml_problem(exc.problem or 'unreadable')}") from None
    except yaml.YAMLError:
        raise ConfigError(f"{source} is not valid YAML") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must hold a YAML mapping at the top level")
    return ConfigDocument(source, data, hashlib.sha256(raw).hexdigest(), loader.key_positions)


def parse_yaml_value(text: str, source: str) -> Any:
    """One YAML value (an environment variable's); errors name ``source`` only."""
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError:
        raise ConfigError(f"{source} is not a valid YAML value") from None
    finally:
        loader.dispose()


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key, anything else (lists included) replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def model_vocabulary(*models: type[BaseModel]) -> frozenset[str]:
    """Field names and Literal values of the models and every model nested in them."""
    words: set[str] = set()
    seen: set[Any] = set()

    def walk(annotation: Any) -> None:
        if annotation in seen:
            return
        seen.add(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for name, info in annotation.model_fields.items():
                words.add(name)
                walk(info.annotation)
        elif get_origin(annotation) is Literal:
            words.update(str(arg) for arg in get_args(annotation))
        elif get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
            for arg in get_args(annotation):
                walk(arg)

    for model in models:
        walk(model)
    return frozenset(words)


def identifier_words(data: Any) -> set[str]:
    """Keys and identifier-like strings of a (packaged) config: entity ids, destinations, operators."""
    words: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            words.add(str(key))
            words |= identifier_words(value)
    elif isinstance(data, list | tuple):
        for item in data:
            words |= identifier_words(item)
    elif isinstance(data, str) and re.fullmatch(r"[A-Za-z_][\w.*]*", data):
        words.add(data)
    return words


class Vocabulary:
    """Words piiscan may repeat back from a config file: its own, or near misses of its own (typos)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self._known = frozenset(self.words)

    def suggestion(self, token: str) -> str | None:
        if token in self._known:
            return token
        close = difflib.get_close_matches(token, self.words, n=1, cutoff=0.8)
        return close[0] if close else None

    def show(self, token: object) -> str:
        text = str(token)
        if isinstance(token, int) or self.suggestion(text) is not None:
            return text
        return "…"

    def quoted(self, message: str) -> str:
        """``message`` with every quoted fragment that is not piiscan vocabulary replaced by an ellipsis."""
        return _QUOTED.sub(lambda m: m.group()[0] + self.show(m.group()[1:-1]) + m.group()[0], message)


def describe_validation_error(
    document: ConfigDocument | None,
    source: str,
    exc: ValidationError,
    vocabulary: Vocabulary,
    advice: str = "Fix the file; piiscan does not fall back to defaults.",
) -> str:
    """One line per problem: position in the file, the setting's path, what is wrong, a likely fix."""
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = err["loc"]
        position = document.position_of(loc) if document is not None else None
        where = f"line {position[0]}, column {position[1]}: " if position else ""
        path = ".".join(vocabulary.show(part) for part in loc) or "(top)"
        message = vocabulary.quoted(err["msg"])
        if err["type"] == "extra_forbidden" and loc:
            message = "unknown key"
            hint = vocabulary.suggestion(str(loc[-1]))
            if hint is not None and hint != loc[-1]:
                message += f" (did you mean {hint}?)"
        problems.append(f"{where}{path}: {message}")
    return f"{source} is invalid: {'; '.join(problems)}. {advice}"
