"""Choosing which questions make up a short quiz from a larger bank."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    id: int
    topic: str
    evidence: Hashable  # the evidence sentence (id or text)
    fact: Hashable = None  # the fact it tests, if known


def balanced_selection(candidates: Sequence[Candidate], limit: int) -> list[int]:
    """Up to ``limit`` ids, round-robin over topics, never two from one sentence or fact.

    Feedback shows each question's evidence sentence, so a second question on the same
    sentence (or the same fact asked another way) would already have been answered for the
    learner. Round-robin keeps a short quiz covering every topic the bank has.
    """
    by_topic: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_topic.setdefault(candidate.topic, []).append(candidate)
    used_evidence: set[Hashable] = set()
    used_facts: set[Hashable] = set()
    picked: list[int] = []
    while len(picked) < limit and any(by_topic.values()):
        for queue in by_topic.values():
            while queue and len(picked) < limit:
                candidate = queue.pop(0)
                if candidate.evidence in used_evidence or (
                    candidate.fact is not None and candidate.fact in used_facts
                ):
                    continue
                used_evidence.add(candidate.evidence)
                if candidate.fact is not None:
                    used_facts.add(candidate.fact)
                picked.append(candidate.id)
                break
    return picked
