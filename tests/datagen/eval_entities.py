"""Precision, recall and F1 of every registered recognizer on the generated corpus, per entity and
per policy category.

Each text goes through the recognizers exactly as the column scanner sends a cell value
(``pipeline.detect._run_recognizers``): the recognizer's RE2 ``PREFILTER`` over the normalised
value picks the candidates, then ``rec.analyze(text, rec.supported_entities, None)``, and a result
counts when its score reaches ``detection.min_value_score`` of ``configs/scan.yaml``. This measures
the recognizers: the scanner's own later steps (GiNZA NER on samples of free-text columns, the
column-level evidence rules) are measured by the column-level evaluation of ``make eval``.

Scoring is per example. For an entity E: a true positive is an example that expects E and gets it,
a false negative one that expects E and does not, a false positive one that gets E although E is
neither expected nor tolerated (see :mod:`tests.datagen.corpus`). Categories are scored the same way
after mapping entities through ``configs/policy.yaml`` (entities without a category, such as DATE,
take no part). Vacuous scores are 1.0 (precision with nothing predicted, recall with nothing
expected); ``support`` and ``predicted`` show when that happens.

CLI: ``python -m tests.datagen.eval_entities [--seed N] [--n N] [--errors K] [--json]``.
The corpus is synthetic, so ``--errors`` may print its texts.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from presidio_analyzer import EntityRecognizer

from pipeline.policy import load_policy
from pipeline.settings import load_scan_settings
from recognizers.normalize import normalize_array
from recognizers.registry import build_recognizers
from tests.datagen.corpus import Example, generate_corpus
from tests.datagen.evaluate import PrecisionRecall

DEFAULT_SEED = 0
DEFAULT_N = 40


@dataclass(frozen=True)
class Score(PrecisionRecall):
    name: str
    tp: int
    fp: int
    fn: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "support": self.support, "predicted": self.predicted, "tp": self.tp,
            "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Outcome:
    """What the recognizers found in one example, and how that compares with its labels."""

    example: Example
    found: frozenset[str]
    # Entities analyze() finds but the prefilter kept from it (a prefilter that is not a superset).
    prefilter_lost: frozenset[str]

    @property
    def missed(self) -> frozenset[str]:
        return self.example.expected - self.found

    @property
    def extra(self) -> frozenset[str]:
        return self.found - self.example.expected - self.example.tolerated


@dataclass(frozen=True)
class FormScore:
    group: str
    form: str
    examples: int
    missed: int  # examples missing at least one expected entity
    extra: Counter[str]  # false-positive entity → examples


@dataclass(frozen=True)
class EntityEvaluation:
    seed: int
    n: int
    min_value_score: float
    per_entity: dict[str, Score]
    per_category: dict[str, Score]
    outcomes: tuple[Outcome, ...]

    @property
    def micro_entity(self) -> Score:
        return _sum("all entities", self.per_entity.values())

    @property
    def micro_category(self) -> Score:
        return _sum("all categories", self.per_category.values())

    def decoy_groups(self, entity_categories: Mapping[str, str]) -> dict[str, tuple[int, int]]:
        """decoy group → (examples with no wrongly found policy category, examples)."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            if outcome.example.kind != "decoy":
                continue
            wrong = {entity_categories[e] for e in outcome.extra if e in entity_categories}
            wrong -= {entity_categories[e] for e in outcome.example.expected if e in entity_categories}
            slot = totals[outcome.example.group]
            slot[0] += 0 if wrong else 1
            slot[1] += 1
        return {g: (v[0], v[1]) for g, v in totals.items()}

    def forms(self) -> list[FormScore]:
        grouped: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            grouped[(outcome.example.group, outcome.example.form)].append(outcome)
        return [
            FormScore(
                group, form, len(items), sum(1 for o in items if o.missed),
                Counter(e for o in items for e in o.extra),
            )
            for (group, form), items in grouped.items()
        ]

    def to_dict(self, entity_categories: Mapping[str, str]) -> dict[str, Any]:
        return {
            "seed": self.seed, "n": self.n, "min_value_score": self.min_value_score,
            "examples": len(self.outcomes),
            "per_entity": [s.to_dict() for s in self.per_entity.values()],
            "per_category": [s.to_dict() for s in self.per_category.values()],
            "micro_entity": self.micro_entity.to_dict(),
            "micro_category": self.micro_category.to_dict(),
            "decoys": {g: {"clean": c, "total": t} for g, (c, t) in self.decoy_groups(entity_categories).items()},
            "weak_forms": [
                {"group": f.group, "form": f.form, "examples": f.examples, "missed": f.missed, "false_positives": dict(f.extra)}
                for f in self.forms() if f.missed or f.extra
            ],
            "prefilter_lost": dict(Counter(e for o in self.outcomes for e in o.prefilter_lost)),
        }


def _sum(name: str, scores: Any) -> Score:
    items = list(scores)
    return Score(name, sum(s.tp for s in items), sum(s.fp for s in items), sum(s.fn for s in items))


def loaded_recognizers() -> list[EntityRecognizer]:
    """Every registered recognizer, loaded as the scanner loads them."""
    recognizers = build_recognizers(language="ja")
    for recognizer in recognizers:
        recognizer.load()
    return recognizers


def detect(
    texts: Sequence[str], recognizers: Sequence[EntityRecognizer], min_score: float, max_chars: int
) -> tuple[list[set[str]], list[set[str]]]:
    """Entities found per text the scanner's way, and those only a prefilter-free run would find."""
    norm = normalize_array(pa.array(list(texts), pa.string()))
    found: list[set[str]] = [set() for _ in texts]
    lost: list[set[str]] = [set() for _ in texts]
    for recognizer in recognizers:
        prefilter = getattr(recognizer, "PREFILTER", None)
        if prefilter:
            mask = np.asarray(pc.match_substring_regex(norm, prefilter).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        else:
            mask = np.ones(len(texts), dtype=bool)
        for index, text in enumerate(texts):
            value = text[:max_chars]
            # Pattern recognizers need no NLP artefacts; Presidio types the argument as required.
            results = recognizer.analyze(value, recognizer.supported_entities, None)  # type: ignore[arg-type]
            entities = {r.entity_type for r in results if r.score >= min_score}
            (found if mask[index] else lost)[index].update(entities)
    for index in range(len(texts)):
        lost[index] -= found[index]
    return found, lost


def evaluate_corpus(
    examples: Sequence[Example],
    entity_categories: Mapping[str, str],
    recognizers: Sequence[EntityRecognizer],
    min_score: float,
    max_chars: int,
    seed: int = DEFAULT_SEED,
    n: int = DEFAULT_N,
) -> EntityEvaluation:
    found, lost = detect([e.text for e in examples], recognizers, min_score, max_chars)
    outcomes = tuple(
        Outcome(example, frozenset(f), frozenset(lo)) for example, f, lo in zip(examples, found, lost, strict=True)
    )
    # Every entity the corpus or the policy names gets a row, even with nothing to count.
    entity_counts = {e: [0, 0, 0] for e in {x.group for x in examples if x.kind == "positive"} | set(entity_categories)}
    category_counts = {c: [0, 0, 0] for c in set(entity_categories.values())}
    for outcome in outcomes:
        _tally(entity_counts, outcome.example.expected, outcome.example.tolerated, outcome.found)
        _tally(
            category_counts,
            _categories(outcome.example.expected, entity_categories),
            _categories(outcome.example.tolerated, entity_categories),
            _categories(outcome.found, entity_categories),
        )
    return EntityEvaluation(
        seed=seed,
        n=n,
        min_value_score=min_score,
        per_entity={k: Score(k, *v) for k, v in sorted(entity_counts.items())},
        per_category={k: Score(k, *v) for k, v in sorted(category_counts.items())},
        outcomes=outcomes,
    )


def _categories(entities: frozenset[str], entity_categories: Mapping[str, str]) -> frozenset[str]:
    return frozenset(entity_categories[e] for e in entities if e in entity_categories)


def _tally(counts: dict[str, list[int]], expected: frozenset[str], tolerated: frozenset[str], found: frozenset[str]) -> None:
    for name in expected | found:
        slot = counts.setdefault(name, [0, 0, 0])
        if name in expected and name in found:
            slot[0] += 1
        elif name in expected:
            slot[2] += 1
        elif name not in tolerated:
            slot[1] += 1


def run(seed: int = DEFAULT_SEED, n: int = DEFAULT_N) -> EntityEvaluation:
    """Generate the corpus for ``seed``/``n`` and evaluate every registered recognizer on it."""
    settings = load_scan_settings().detection
    policy = load_policy()
    entity_categories = dict(policy.model.entity_categories)
    return evaluate_corpus(
        generate_corpus(seed, n), entity_categories, loaded_recognizers(),
        settings.min_value_score, settings.max_value_chars, seed, n,
    )


def _row(s: Score, width: int) -> str:
    return (f"{s.name:<{width}}{s.support:>8}{s.predicted:>6}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
            f"{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")


def format_report(result: EntityEvaluation, entity_categories: Mapping[str, str], errors: int = 0) -> str:
    width = 26
    header = (f"{'':<{width}}{'support':>8}{'pred':>6}{'tp':>5}{'fp':>5}{'fn':>5}"
              f"{'precision':>11}{'recall':>8}{'f1':>7}")
    lines = [
        f"Recognizers on the generated corpus (seed {result.seed}, n {result.n} per entity, "
        f"{len(result.outcomes)} examples, score >= {result.min_value_score})",
        "",
        header.replace(" " * width, f"{'entity':<{width}}", 1),
    ]
    lines += [_row(s, width) for s in result.per_entity.values()]
    lines.append(_row(result.micro_entity, width))
    lines += ["", header.replace(" " * width, f"{'category':<{width}}", 1)]
    lines += [_row(s, width) for s in result.per_category.values()]
    lines.append(_row(result.micro_category, width))

    lines += ["", "decoys kept free of policy categories (clean / total):"]
    for group, (clean, total) in sorted(result.decoy_groups(entity_categories).items()):
        lines.append(f"  {group.removeprefix('decoy:'):<34}{clean:>4} / {total:<4}{'' if clean == total else '  <-'}")

    weak = [f for f in result.forms() if f.missed or f.extra]
    if weak:
        lines += ["", "surface forms with misses or false positives (group | form | missed/examples | false positives):"]
        for f in sorted(weak, key=lambda f: (f.group, f.form)):
            extra = ", ".join(f"{e}×{c}" for e, c in sorted(f.extra.items())) or "-"
            lines.append(f"  {f.group} | {f.form} | {f.missed}/{f.examples} | {extra}")
    lost = Counter(e for o in result.outcomes for e in o.prefilter_lost)
    if lost:
        lines += ["", "found by analyze() but dropped by the recognizer's PREFILTER (entity × examples):"]
        lines += [f"  {e} × {c}" for e, c in sorted(lost.items())]
    if errors > 0:
        lines += ["", f"up to {errors} failing examples per group (synthetic text | missed | wrongly found):"]
        shown: Counter[str] = Counter()
        for o in result.outcomes:
            if (o.missed or o.extra) and shown[o.example.group] < errors:
                shown[o.example.group] += 1
                lines.append(f"  [{o.example.group}/{o.example.form}] {o.example.text} | "
                             f"{','.join(sorted(o.missed)) or '-'} | {','.join(sorted(o.extra)) or '-'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.datagen.eval_entities",
        description="Precision/recall of every registered recognizer on the seeded synthetic corpus.",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"corpus seed (default {DEFAULT_SEED})")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"examples per entity and decoy group (default {DEFAULT_N})")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="print up to K failing examples per group")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    result = run(args.seed, args.n)
    categories = dict(load_policy().model.entity_categories)
    if args.json:
        print(json.dumps(result.to_dict(categories), ensure_ascii=False, indent=2))
    else:
        print(format_report(result, categories, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
