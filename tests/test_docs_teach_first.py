"""The lessons teach first: how a number is checked sits behind a fold.

On the teaching pages, text about oracles agreeing, tolerances, difference
tables and what fails the build belongs in a collapsed note (``??? note``,
pymdownx.details) or in the claims index, not in the lesson's flow. These tests
read each teaching page's Markdown with its collapsed notes removed, code
blocks outside the notes included (what a block prints is written in its
code), and look for the phrases of that kind. A block that shows its source in
tabs shows its result first.
"""

from __future__ import annotations

import re

import pytest
from docs_pages import DOCS
from test_docs_reader import ARTICLE_ORDER

#: Phrases that describe verification rather than teach (issue 20's list).
VERIFICATION = [
    re.compile(pattern, re.I)
    for pattern in (
        r"within 1e-\d+",
        r"checked by the ledger",
        r"(?-i:Checked:)",
        r"fails the build",
        r"stops the build",
        r"relative difference",
        r"\(tolerance",
        r"the ledger agree",
        r"graph engine agree",
    )
]


def outside_folds(text: str) -> str:
    """The page without its collapsed notes (``??? ...`` and the indented body after it)."""
    kept: list[str] = []
    folded = False
    for line in text.splitlines():
        if re.match(r"^\?\?\?\+? ", line):
            folded = True
            continue
        if folded and (not line.strip() or line.startswith("    ")):
            continue
        folded = False
        kept.append(line)
    return "\n".join(kept)


def test_outside_folds_drops_a_note_and_keeps_what_follows() -> None:
    text = (
        'Teach.\n\n??? note "How this is checked"\n\n    within 1e-12\n\n'
        "    ```python\n    x = 1\n    ```\n\nNext lesson.\n"
    )
    assert outside_folds(text) == "Teach.\n\nNext lesson."


@pytest.mark.parametrize("page", ARTICLE_ORDER)
def test_teaching_page_keeps_verification_behind_a_fold(page: str) -> None:
    text = outside_folds((DOCS / page).read_text(encoding="utf-8"))
    for pattern in VERIFICATION:
        found = pattern.search(text)
        assert found is None, f"{page}: {found.group(0)!r} outside a collapsed note"


@pytest.mark.parametrize("page", ARTICLE_ORDER)
def test_source_tabs_show_the_result_first(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert 'source="tabbed-left"' not in text, f"{page}: the source tab comes before the result"
