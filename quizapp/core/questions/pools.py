"""Curated distractor pools, one per subject, and choosing the ones an article is about.

An article names too few wrong answers of some type (two regulators, one law): the pool tops
them up. A pool about messaging apps next to a story about a power company gives the game
away, so each pool says what subject it serves by keywords, and an article gets the pools
whose keywords it uses, plus the pools that serve every subject (countries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.core.facts import EntityType
from quizapp.core.questions.wording import unique

MIN_KEYWORD_HITS = 2  # distinct keywords an article must use for a subject's pool to apply


class PoolError(ValueError):
    """A distractor pool file that cannot be trusted: unknown section or a non-name entry."""


@dataclass(frozen=True)
class DistractorPool:
    """Curated same-type names used only when an article has too few of its own.

    Every name must be a wrong answer to anything an article is likely to ask, not merely
    absent from it, so a learner who knows the real world is never marked wrong for it.
    """

    names: Mapping[EntityType, tuple[str, ...]] = field(default_factory=dict)
    roles: tuple[str, ...] = ()  # titles no article person is likely to hold
    false_powers: tuple[str, ...] = ()  # verb phrases, to match POWER facts' objects
    subject: str = ""
    keywords: frozenset[str] = frozenset()  # none: the pool serves every article

    def of_type(self, entity_type: EntityType) -> tuple[str, ...]:
        return tuple(self.names.get(entity_type, ()))


# The pool file's sections, named as people write them, and the entity type each tops up.
POOL_SECTIONS: Mapping[str, EntityType] = {
    "apps": EntityType.APP,
    "regulators": EntityType.REGULATOR,
    "organisations": EntityType.ORGANISATION,
    "laws": EntityType.LAW,
    "terms": EntityType.TERM,
    "people": EntityType.PERSON,
    "places": EntityType.PLACE,
    "events": EntityType.EVENT,
}
_POOL_EXTRAS = ("roles", "false_powers", "keywords")
_ABOUT = ("about", "subject")


def load_pool(data: Mapping[str, Any]) -> DistractorPool:
    """Parse one pool's JSON object; ``about`` is free text for its readers.

    Unknown sections are refused rather than ignored, so a typo ("regulator") cannot quietly
    leave a type without its fallback names.
    """
    if not isinstance(data, Mapping):
        raise PoolError("a distractor pool must be a JSON object of named lists")
    names: dict[EntityType, tuple[str, ...]] = {}
    extras: dict[str, tuple[str, ...]] = {}
    for section, values in data.items():
        if section in _ABOUT:
            continue
        if section not in POOL_SECTIONS and section not in _POOL_EXTRAS:
            raise PoolError(f"unknown distractor pool section {section!r}")
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise PoolError(f"distractor pool section {section!r} must be a list of names")
        cleaned = tuple(unique(v.strip() for v in values))
        if section in POOL_SECTIONS:
            names[POOL_SECTIONS[section]] = cleaned
        else:
            extras[section] = cleaned
    return DistractorPool(
        names=names,
        roles=extras.get("roles", ()),
        false_powers=extras.get("false_powers", ()),
        subject=str(data.get("subject", "")),
        keywords=frozenset(k.casefold() for k in extras.get("keywords", ())),
    )


def load_pools(data: Mapping[str, Any]) -> tuple[DistractorPool, ...]:
    """The pool file: ``{"about": ..., "pools": [pool, ...]}``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("pools"), list):
        raise PoolError('a distractor pool file must be a JSON object with a "pools" list')
    pools = []
    for number, raw in enumerate(data["pools"], start=1):
        try:
            pools.append(load_pool(raw))
        except PoolError as exc:
            raise PoolError(f"pool {number}: {exc}") from exc
    return tuple(pools)


def pool_for(pools: Sequence[DistractorPool], sentences: Iterable[str]) -> DistractorPool:
    """One pool made of those the article is about (by keywords) and those for everyone."""
    words = {w for s in sentences for w in re.findall(r"[a-z]+", s.casefold())}
    chosen = [
        p
        for p in pools
        if not p.keywords or len(p.keywords & words) >= min(MIN_KEYWORD_HITS, len(p.keywords))
    ]
    names: dict[EntityType, list[str]] = {}
    for pool in chosen:
        for entity_type, values in pool.names.items():
            names.setdefault(entity_type, []).extend(values)
    return DistractorPool(
        names={t: tuple(unique(v)) for t, v in names.items()},
        roles=tuple(unique(r for p in chosen for r in p.roles)),
        false_powers=tuple(unique(f for p in chosen for f in p.false_powers)),
        subject="; ".join(p.subject for p in chosen if p.subject),
    )
