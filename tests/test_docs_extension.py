"""The site's Markdown extension (``docs/_support/claim_macros.py``), engine by engine.

The extension replaces the MkDocs hooks: it expands the claim macros in any
Python-Markdown conversion, learns the page from whichever engine converts it,
writes badge links the way that engine treats raw HTML, and turns Sphinx roles
in docstrings into Markdown code. These tests convert small texts with plain
Python-Markdown, giving it the page the way each engine does.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import SimpleNamespace

import markdown
import pytest
from docs_pages import SUPPORT
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# docs/_support is on sys.path once docs_pages is imported, as PYTHONPATH puts it
# there for the engines.
assert SUPPORT.is_dir()
claim_macros = importlib.import_module("claim_macros")
common = importlib.import_module("common")


@pytest.fixture(autouse=True)
def _restore_page() -> Iterator[None]:
    yield
    common.set_page("", page_src="", source_links=False)


class _MkDocsRelpath(Treeprocessor):
    """Stands for MkDocs' link processor, which holds the page's ``File``."""

    def __init__(self, md: markdown.Markdown, src: str, url: str) -> None:
        super().__init__(md)
        self.file = SimpleNamespace(src_uri=src, url=url)

    def run(self, root: object) -> None:
        return None


class _ZensicalContext(Preprocessor):
    """Stands for Zensical's rendering-context preprocessor, which holds the ``Page``."""

    def __init__(self, md: markdown.Markdown, src: str, url: str) -> None:
        super().__init__(md)
        self.page = SimpleNamespace(path=src, url=url)

    def run(self, lines: list[str]) -> list[str]:
        return lines


def convert(text: str, *, engine: str | None = None, src: str = "", url: str = "") -> str:
    md = markdown.Markdown(extensions=["claim_macros"])
    if engine == "mkdocs":
        md.treeprocessors.register(_MkDocsRelpath(md, src, url), "relpath", 0)
    elif engine == "zensical":
        md.preprocessors.register(_ZensicalContext(md, src, url), "rendering_context", 0)
    return md.convert(text)


def test_the_page_is_read_from_mkdocs_link_processor() -> None:
    html = convert("[[check:or-single-loss]]", engine="mkdocs", src="bias.md", url="bias/")
    assert 'href="../errata/#claim-or-single-loss"' in html
    assert common.CONTEXT.page_src == "bias.md" and not common.CONTEXT.source_links


def test_zensical_gets_links_to_the_claims_index_source() -> None:
    # Zensical rewrites every relative link of the page as if written in its source.
    html = convert("[[check:or-single-loss]]", engine="zensical", src="bias.md", url="bias/")
    assert 'href="errata.md#claim-or-single-loss"' in html
    html = convert("[[check:or-single-loss]]", engine="zensical", src="errata.md", url="errata/")
    assert 'href="#claim-or-single-loss"' in html
    html = convert("[[check:or-single-loss]]", engine="zensical", src="a/b.md", url="a/b/")
    assert 'href="../errata.md#claim-or-single-loss"' in html


def test_badges_carry_the_claim_and_its_status() -> None:
    html = convert("[[badge:or-single-loss]] [[check:sigmoid-at-2]] [[check:xavier-is-lecun]]")
    assert 'data-claim="or-single-loss" data-status="passed"' in html
    # "z > 2 makes sigma ~ 1" is a rule of thumb, not an erratum: it passes, and says its kind
    assert 'data-claim="sigmoid-at-2" data-status="passed" data-kind="rule-of-thumb"' in html
    # the article calls LeCun's scaling "xavier", as much teaching material does: a convention
    assert 'data-claim="xavier-is-lecun" data-status="passed" data-kind="convention"' in html
    assert ">0.125<" in html  # or-single-loss: the article's 0.125


def test_a_macro_that_cannot_be_shown_stops_the_conversion_naming_the_page() -> None:
    with pytest.raises(claim_macros.ClaimMacroError, match=r"^loss\.md: .*or-single-los"):
        convert("[[badge:or-single-los]]", engine="mkdocs", src="loss.md", url="loss/")


def test_a_failing_claim_stops_the_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    import nbn
    import nbn.ledger as ledger

    ledger.clear_cache()
    monkeypatch.setattr(nbn.SigmoidLayer, "local_grad", staticmethod(lambda Z, A: A * (1.0 + A)))
    try:
        with pytest.raises(claim_macros.ClaimMacroError, match="failed its check"):
            convert("[[check:sigmoid-derivative]]", engine="mkdocs", src="loss.md", url="loss/")
    finally:
        ledger.clear_cache()


@pytest.mark.parametrize(
    ("docstring", "expected"),
    [
        (":func:`nbn.initialize_parameters`", "`nbn.initialize_parameters()`"),
        (":meth:`~nbn.LinearLayer.backward`", "`backward()`"),
        (":class:`~nbn.linear.LinearLayer`", "`LinearLayer`"),
        (":py:mod:`nbn.graph`", "`nbn.graph`"),
        ("a :func:`f(x)` call", "a `f(x)` call"),
        ("no role: 12:30, `code`", "no role: 12:30, `code`"),
    ],
)
def test_sphinx_roles_become_markdown_code(docstring: str, expected: str) -> None:
    assert claim_macros.rest_roles_to_markdown(docstring) == expected


def test_roles_are_converted_in_prose_but_not_in_fenced_code() -> None:
    html = convert("See :func:`nbn.sigmoid`.\n\n```\n:func:`kept`\n```\n")
    assert "<code>nbn.sigmoid()</code>" in html and ":func:`kept`" in html


@pytest.mark.parametrize(
    ("page_src", "page_url", "href", "expected"),
    [
        ("hidden-layers.md", "hidden-layers/", "gradients.md", "../gradients/"),
        ("hidden-layers.md", "hidden-layers/", "errata.md#claim-x", "../errata/#claim-x"),
        ("index.md", "", "bias.md", "bias/"),
        ("guide/a.md", "guide/a/", "../index.md", "../../"),
        ("bias.md", "bias/", "bias.md#top", "./#top"),
        ("bias.md", "bias/", "https://example.org/x.md", "https://example.org/x.md"),
        ("bias.md", "bias/", "#anchor", "#anchor"),
        ("bias.md", "bias/", "figure.png", "figure.png"),
    ],
)
def test_source_links_printed_by_blocks_become_page_urls(
    page_src: str, page_url: str, href: str, expected: str
) -> None:
    common.set_page(page_url, page_src=page_src, source_links=False)
    assert claim_macros.source_link_to_url(href) == expected


def test_block_output_links_are_rewritten_only_in_markdown_execs_inner_conversions() -> None:
    common.set_page("hidden-layers/", page_src="hidden-layers.md", source_links=False)
    outer = markdown.Markdown(extensions=["claim_macros"])
    assert 'href="gradients.md"' in outer.convert("[g](gradients.md)")  # the engine's job
    inner = markdown.Markdown(extensions=["claim_macros"])
    inner._original_md = outer  # type: ignore[attr-defined]  # as markdown-exec marks it
    assert 'href="../gradients/"' in inner.convert("[g](gradients.md)")
    common.set_page("hidden-layers/", page_src="hidden-layers.md", source_links=True)
    assert 'href="gradients.md"' in inner.convert("[g](gradients.md)")  # Zensical's job


@pytest.mark.parametrize(
    ("source_links", "page_src", "page_url", "target", "anchor", "expected"),
    [
        # MkDocs: the URL relative to the page's URL.
        (False, "hidden-layers.md", "hidden-layers/", "gradients.md", "", "../gradients/"),
        (False, "hidden-layers.md", "hidden-layers/", "index.md", "top", "../#top"),
        (False, "index.md", "", "gradients.md", "", "gradients/"),
        (False, "bias.md", "bias/", "bias.md", "x", "#x"),
        (False, "bias.md", "bias/", "bias.md", "", "#"),
        # Zensical: the target's source, relative to the page's source.
        (True, "hidden-layers.md", "hidden-layers/", "gradients.md", "", "gradients.md"),
        (True, "guide/a.md", "guide/a/", "errata.md", "claim-x", "../errata.md#claim-x"),
        (True, "bias.md", "bias/", "bias.md", "x", "#x"),
    ],
)
def test_page_links_in_raw_html_suit_the_engine(
    source_links: bool, page_src: str, page_url: str, target: str, anchor: str, expected: str
) -> None:
    common.set_page(page_url, page_src=page_src, source_links=source_links)
    assert common.page_href(target, anchor) == expected
