"""Every executable code block of every page runs under pytest, as in the build.

markdown-exec runs a page's ``python exec="true"`` blocks while MkDocs builds
the site; a block that raises (a claim that fails, a page whose own check
between two computations fails, an API that changed) fails the strict build.
These tests run the same blocks, page by page and in order, sharing globals
between blocks of one ``session`` as markdown-exec does, and expand each
page's inline claim macros: so a stale page fails the test suite too, with a
traceback that names the page and line.
"""

from __future__ import annotations

import re

import pytest
from docs_pages import DOCS, code_blocks, pages, run_page

NAV_PAGES = pages()

#: Pages whose blocks take long enough (timing runs) to belong in the slow tier.
SLOW_PAGES = {"performance.md"}


def _param(page: str) -> object:
    marks = [pytest.mark.slow] if page in SLOW_PAGES else []
    return pytest.param(page, id=page, marks=marks)


def test_nav_lists_the_article_pages_in_order() -> None:
    assert NAV_PAGES[:3] == ["index.md", "single-neuron.md", "loss.md"]
    for later, earlier in (("bias.md", "backprop.md"), ("hidden-layers.md", "xor.md")):
        assert NAV_PAGES.index(later) > NAV_PAGES.index(earlier)
    assert {"errata.md", "design.md", "performance.md", "mutation.md"} <= set(NAV_PAGES)


@pytest.mark.parametrize("page", NAV_PAGES)
def test_every_nav_page_exists(page: str) -> None:
    assert (DOCS / page).is_file(), f"mkdocs.yml lists {page}, which does not exist in docs/"


def test_block_extraction_sees_sessions_and_options() -> None:
    blocks = code_blocks("loss.md")
    assert len(blocks) >= 4
    assert {b.session for b in blocks} >= {None, "loss"}
    assert any(b.options.get("html") == "true" for b in blocks)


@pytest.mark.parametrize("page", [_param(p) for p in NAV_PAGES])
def test_page_code_blocks_run(page: str) -> None:
    if not (DOCS / page).is_file():
        pytest.fail(f"{page} is in the nav but missing")
    outputs = run_page(page)
    blocks = code_blocks(page)
    assert len(outputs) == len(blocks) + 1  # one per block, plus the expanded page text
    if blocks:
        assert any(out.strip() for out in outputs[:-1]), f"{page}: no block printed anything"
    prose = re.sub(r"`+[^`]*`+", "", re.sub(r"(?ms)^```.*?^```", "", outputs[-1]))
    assert not re.search(r"\[\[(badge|value|check):", prose), f"{page}: unexpanded claim macro"


@pytest.mark.parametrize(
    ("page_url", "expected"),
    [
        ("", "errata/#claim-or-single-loss"),
        ("bias/", "../errata/#claim-or-single-loss"),
        ("errata/", "#claim-or-single-loss"),
        ("guide/bias/", "../../errata/#claim-or-single-loss"),
    ],
)
def test_badge_links_are_relative_to_the_page(page_url: str, expected: str) -> None:
    import common

    common.set_page(page_url, page_src="", source_links=False)
    try:
        assert common.claim_href("or-single-loss") == expected
        assert f'href="{expected}"' in common.badge("or-single-loss")
    finally:
        common.set_page("", page_src="")


def test_macros_expand_in_prose_but_not_in_code() -> None:
    import common

    text = "Loss [[value:or-single-loss]].\n`[[value:or-single-loss]]`\n```\n[[badge:x]]\n```\n"
    out = common.expand_macros(text)
    assert out.startswith("Loss 0.125.\n")  # the article's 0.125, rounded as it prints it
    assert "`[[value:or-single-loss]]`" in out and "[[badge:x]]" in out


def test_unknown_claim_id_is_an_error_naming_close_ids() -> None:
    import common

    with pytest.raises(KeyError, match="or-single-loss"):
        common.expand_macros("[[badge:or-single-los]]")
