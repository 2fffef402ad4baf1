"""Step 3 of classification: accepted candidates → the entities a column holds, after conflicts and context.

- A column named for a company or a product holds that company's contacts, not a person's; a few
  phone numbers repeated over many rows are a company's own too. Neither counts contact mentions together.
- A structured column holds one kind of thing: entities far weaker than the strongest are dropped,
  and when the strongest says the column is not about people (a JAN code, a corporate number, a plain
  date), only entities that a header word backs stay beside it.
- Prose keeps every entity it mentions, and so does any column for contact data mentioned in few rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.classify_score import Candidate
from pipeline.profile_model import ColumnProfile
from pipeline.settings import ClassificationSettings
from pipeline.text_shape import is_free_text
from recognizers.column_names import ColumnNameHint
from recognizers.entities import CATALOGUE, EntityId, EntityName

# Entities whose presence means a column is not about people (catalogues, registries, plain dates): the
# catalogue's non-personal ids that a recognizer finds in values (JAN_CODE, JP_CORPORATE_NUMBER, …).
NON_PERSONAL_ENTITIES: frozenset[EntityId] = frozenset(
    entity for entity, info in CATALOGUE.items() if not info.personal and info.recognizers
)
# Contact entities that, in a column named for a company or product, are the company's own.
ORGANISATION_CONTACT: frozenset[EntityId] = frozenset({"PHONE_NUMBER", "EMAIL_ADDRESS", "JP_ADDRESS", "STREET_ADDRESS", "URL"})
ORGANISATION_HINTS: frozenset[EntityId] = frozenset({"ORGANIZATION", "PRODUCT"})
# Rows a phone column needs before repetition can say "a company's number".
_REPEATED_CONTACT_MIN_ROWS = 50
# Below this many distinct values the sketch is exact, so a distinct count can be trusted.
_EXACT_DISTINCT = 256


def resolve(
    candidates: Iterable[Candidate],
    hints: tuple[ColumnNameHint, ...],
    profile: ColumnProfile,
    settings: ClassificationSettings,
) -> tuple[Candidate, ...]:
    """The accepted candidates that survive conflicts, strongest first."""
    kept = {c.entity: c for c in candidates if c.accepted}
    hinted = {h.entity for h in hints}
    if ORGANISATION_HINTS & hinted or repeated_contact(profile, settings):
        # A company's column: its contacts are the company's, and mentions only count together for people.
        kept = {
            e: c for e, c in kept.items() if e not in ORGANISATION_CONTACT and c.rule != "contact_mentions"
        }
    if "PRODUCT" in hinted:
        kept = {e: c for e, c in kept.items() if e not in ("PERSON", "JP_PREFECTURE")}
    if kept and not is_free_text(profile, settings) and not all(_is_mention(c) for c in kept.values()):
        # Contact mentions counted together are mentions, as in prose: each stays beside the others.
        # A column whose every finding is a mention inside longer cells (short survey answers) is
        # read as prose too: one answer's religion does not outweigh another's union.
        mentions = {e: c for e, c in kept.items() if c.rule == "contact_mentions"}
        rest = {e: c for e, c in kept.items() if c.rule != "contact_mentions"}
        kept = {**(_one_kind_of_thing(rest, settings) if rest else {}), **mentions}
    return tuple(sorted(kept.values(), key=lambda c: (-c.weight(settings), c.entity)))


def _is_mention(candidate: Candidate) -> bool:
    return candidate.rule == "contact_mentions" or "free_text" in candidate.evidence


def _one_kind_of_thing(kept: dict[EntityName, Candidate], settings: ClassificationSettings) -> dict[EntityName, Candidate]:
    best = max(c.weight(settings) for c in kept.values())
    kept = {e: c for e, c in kept.items() if c.weight(settings) >= settings.structured_keep_ratio * best}
    strongest = max(kept.values(), key=lambda c: c.weight(settings))
    if strongest.entity in NON_PERSONAL_ENTITIES:
        kept = {e: c for e, c in kept.items() if e in NON_PERSONAL_ENTITIES or "column_name" in c.evidence}
    return kept


def repeated_contact(profile: ColumnProfile, settings: ClassificationSettings) -> bool:
    """A phone/e-mail column where a few values repeat over many rows holds a company's contacts."""
    if "PHONE_NUMBER" not in profile.entities or profile.non_null < _REPEATED_CONTACT_MIN_ROWS:
        return False
    exact_distinct = profile.distinct_estimate < _EXACT_DISTINCT
    return (
        exact_distinct
        and profile.distinct_estimate <= settings.repeated_contact_max_distinct_ratio * profile.non_null
    )
