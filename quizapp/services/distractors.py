"""The curated distractor pool, read once from ``seeds/distractors.json`` for CLI and web."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..core.questions import DistractorPool, load_pool

POOL_FILE = Path(__file__).resolve().parent.parent.parent / "seeds" / "distractors.json"


@cache
def distractor_pool() -> DistractorPool:
    """The shipped pool; cached because it never changes while the app runs."""
    return load_pool(json.loads(POOL_FILE.read_text(encoding="utf-8")))
