"""Where the article the site follows, and its code, are published.

The article the site follows is Rafay Khan's *Nothing but NumPy: Understanding &
Creating Neural Networks with Computational Graphs from Scratch* (2019). The
address is the one its repository's README links to; the repository holds the
layer classes and the notebooks the article's Part II walks through.

In page text, the macro ``[[sources]]`` (expanded by :mod:`claim_macros`)
becomes :func:`sources_line`: the home page and each page that follows a
section of the article carry it, so a reader can open the original beside it.
"""

from __future__ import annotations

import re

__all__ = ["ARTICLE_TITLE", "ARTICLE_URL", "REPOSITORY_URL", "expand_sources", "sources_line"]

ARTICLE_TITLE = (
    "Nothing but NumPy: Understanding & Creating Neural Networks with Computational "
    "Graphs from Scratch"
)
ARTICLE_URL = (
    "https://medium.com/@rafayak/nothing-but-numpy-understanding-creating-neural-networks-"
    "with-computational-graphs-from-scratch-6299901091b0"
)
REPOSITORY_URL = "https://github.com/RafayAK/NothingButNumPy"

_MACRO = re.compile(r"\[\[sources\]\]")


def sources_line() -> str:
    """The "Sources" line as Markdown: the article and its code repository, linked."""
    return (
        f"**Sources:** Rafay Khan, [*{ARTICLE_TITLE}*]({ARTICLE_URL}) (2019), and its code, "
        f"[RafayAK/NothingButNumPy]({REPOSITORY_URL})."
    )


def expand_sources(text: str) -> str:
    """Replace every ``[[sources]]`` in page prose with :func:`sources_line`."""
    return _MACRO.sub(lambda _: sources_line(), text)
