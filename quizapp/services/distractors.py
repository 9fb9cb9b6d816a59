"""The curated distractor pools, read once from ``seeds/distractors.json`` for CLI and web."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..core.questions import DistractorPool, load_pools

POOL_FILE = Path(__file__).resolve().parent.parent.parent / "seeds" / "distractors.json"


@cache
def distractor_pools() -> tuple[DistractorPool, ...]:
    """The shipped pools, one per subject; cached because they never change while the app
    runs. ``core.questions.pool_for`` picks the ones an article is about."""
    return load_pools(json.loads(POOL_FILE.read_text(encoding="utf-8")))
