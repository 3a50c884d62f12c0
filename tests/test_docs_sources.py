"""The site names its source fairly: it links the article and its code, and never
tells a reader with the article open that a figure of it is missing.

The addresses are typed here by hand from the article's repository (its README
links the article at this address), independently of ``docs/_support/sources.py``.
"""

from __future__ import annotations

import re

import pytest
from docs_pages import DOCS, pages
from test_docs_reader import ARTICLE_ORDER

from nbn.ledger import CLAIMS

ARTICLE = (
    "https://medium.com/@rafayak/nothing-but-numpy-understanding-creating-neural-networks-"
    "with-computational-graphs-from-scratch-6299901091b0"
)
REPOSITORY = "https://github.com/RafayAK/NothingButNumPy"

#: Wording that speaks of a copy of the article instead of the subject.
COPY_WORDING = re.compile(
    r"our copy|missing from|(?:figure|listing)s?\b[^.]{0,60}\bmissing|\(missing\)|missing figure"
    r"|this build\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("page", ["index.md", *ARTICLE_ORDER, "exercise.md"])
def test_page_that_follows_the_article_carries_the_sources_line(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert text.count("[[sources]]") == 1, f"{page}: expected one [[sources]] line"


def test_sources_line_links_the_article_and_its_repository() -> None:
    import sources  # docs/_support, on the path once docs_pages is imported

    line = sources.sources_line()
    assert f"]({ARTICLE})" in line, repr(line)
    assert f"]({REPOSITORY})" in line, repr(line)
    assert "Rafay Khan" in line


def test_sources_macro_expands_in_prose_but_not_in_code() -> None:
    import markdown
    from claim_macros import makeExtension

    md = markdown.Markdown(extensions=[makeExtension()])
    html = md.convert("[[sources]]\n\nWrite `[[sources]]` in a page.\n")
    assert f'href="{ARTICLE}"' in html and f'href="{REPOSITORY}"' in html
    assert "<code>[[sources]]</code>" in html  # an example in code stays as written


@pytest.mark.parametrize("page", pages())
def test_no_page_speaks_of_a_copy_of_the_article_or_a_missing_figure(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    found = [m.group(0) for m in COPY_WORDING.finditer(text)]
    assert not found, f"{page}: {found!r}"


def test_no_claim_speaks_of_a_copy_of_the_article_or_a_missing_figure() -> None:
    for claim in CLAIMS:
        for field in ("statement", "inputs", "erratum", "note"):
            text = getattr(claim, field) or ""
            found = [m.group(0) for m in COPY_WORDING.finditer(text)]
            assert not found, f"{claim.id}.{field}: {found!r} in {text!r}"
