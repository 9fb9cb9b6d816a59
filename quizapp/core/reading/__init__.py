"""Reading an article: from pasted text to its structure and facts (see ``pipeline``)."""
