"""The site as a learner reads it: structure, quiet marks, clean API reference.

The fast checks read ``mkdocs.yml``, the pages' Markdown and the docstrings the
API reference is generated from. The checks of the built site (sitemap, 404
page, marks, raw roles or macros left in the HTML) are marked ``slow``: they
share one strict build per test process with the other docs tests, or use the
site in ``$NBN_SITE_DIR``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from docs_pages import DOCS, MKDOCS_YML, built_site, page_url, pages

#: The teaching pages, in the order of the article's sections (typed by hand
#: from the article: neuron, loss, backpropagation, bias, learning rate, cost,
#: the gradients' derivation, XOR and feature crosses, hidden layers, the
#: closing questions of Part I, Part II).
ARTICLE_ORDER = [
    "single-neuron.md",
    "loss.md",
    "backprop.md",
    "bias.md",
    "learning-rate.md",
    "batch.md",
    "gradients.md",
    "xor.md",
    "hidden-layers.md",
    "code-beside.md",
    "faq.md",
    "code.md",
]
VERIFICATION_PAGES = {"errata.md", "performance.md", "mutation.md", "design.md"}
ROLE = re.compile(r":(?:func|meth|class|mod|data|attr|obj|exc):`")
MACRO = re.compile(r"\[\[(?:badge:|value:|check:|sources\]\])")


def _nav() -> list[Any]:
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    nav: list[Any] = config["nav"]
    return nav


def _part(title: str) -> list[str]:
    for item in _nav():
        if isinstance(item, dict) and title in item:
            return [next(iter(entry.values())) for entry in item[title]]
    raise AssertionError(f"no nav part named {title!r}")


def test_nav_has_the_three_parts_after_the_home_page() -> None:
    titles = [next(iter(item)) for item in _nav()]
    assert titles == [
        "Home",
        "The article, re-derived",
        "Checking your own work",
        "How nbn verifies",
    ]


def test_teaching_pages_come_in_the_article_order() -> None:
    assert _part("The article, re-derived") == ARTICLE_ORDER


def test_verification_pages_are_kept_apart_from_the_teaching() -> None:
    assert set(_part("How nbn verifies")) == VERIFICATION_PAGES
    assert not VERIFICATION_PAGES & set(_part("The article, re-derived"))
    assert _part("Checking your own work"), "the part must hold a real page"


def test_no_teaching_page_prints_a_tolerance_beside_a_number() -> None:
    # The evidence lives in the mark's tooltip and the claims index, not in the prose.
    for page in ARTICLE_ORDER:
        text = (DOCS / page).read_text(encoding="utf-8")
        assert not re.search(r"✓\s*1e-", text), page
        assert "badge-" not in text, page


def _api_objects() -> list[tuple[str, Any]]:
    names = re.findall(r"^::: (nbn\.\w+)", (DOCS / "code.md").read_text(encoding="utf-8"), re.M)
    assert names, "code.md has no API reference"
    module = importlib.import_module("nbn")
    return [(name, getattr(module, name.split(".", 1)[1])) for name in names]


def _docstrings(name: str, obj: Any) -> list[tuple[str, str]]:
    found = [(name, inspect.getdoc(obj) or "")]
    if inspect.isclass(obj):
        for attr, member in vars(obj).items():
            if callable(member) and (not attr.startswith("_") or attr == "__init__"):
                found.append((f"{name}.{attr}", inspect.getdoc(member) or ""))
    return found


def _undescribed(doc: str) -> list[str]:
    """Entries of Parameters/Returns/Raises sections with no description below them."""
    lines = doc.splitlines()
    section, missing = None, []
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"}:
            section = line.strip()
            continue
        if set(line.strip()) == {"-"}:
            continue
        if section in ("Parameters", "Returns", "Raises") and line and not line[0].isspace():
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not following.startswith("    "):
                missing.append(line)
    return missing


def test_undescribed_entry_detector() -> None:
    doc = "Title.\n\nReturns\n-------\ncost : float\ndY : ndarray\n    The gradient.\n"
    assert _undescribed(doc) == ["cost : float"]


def test_api_reference_has_no_raw_roles_or_empty_descriptions() -> None:
    for name, obj in _api_objects():
        for where, doc in _docstrings(name, obj):
            assert not ROLE.search(doc), f"{where}: raw reST role in {doc!r}"
            assert "module docstring" not in doc, f"{where} refers to an unseen docstring"
            assert not _undescribed(doc), f"{where}: entries without a description"


# ---------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def site() -> Path:
    build = built_site()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output[-4000:]}"
    return build.site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.marks: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for key in ("href", "src"):
            value = attributes.get(key)
            if value and tag in ("a", "link", "script", "img"):
                self.hrefs.append(value)
        if "data-claim" in attributes:
            self.marks.append(attributes)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _site_url() -> str:
    url: str = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))["site_url"]
    return url


@pytest.mark.slow
def test_sitemap_lists_every_page(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    expected = {urljoin(_site_url(), page_url(page)) for page in pages()}
    assert expected <= listed, sorted(expected - listed)


@pytest.mark.slow
def test_404_page_links_resolve_from_the_site_root(site: Path) -> None:
    # The 404 page is served at whatever URL was missing, so its links are
    # absolute: they must start at the site's path and name files that exist.
    root = urlparse(_site_url()).path
    for href in _parse(site / "404.html").hrefs:
        parsed = urlparse(href)
        if parsed.scheme or href.startswith(("#", "mailto:")):
            continue
        assert parsed.path.startswith(root), f"404.html: {href} is outside {root}"
        target = site / parsed.path[len(root) :]
        if parsed.path.endswith("/"):
            target = target / "index.html"
        assert target.exists(), f"404.html links {href}, which the site does not have"


@pytest.mark.slow
def test_built_pages_have_no_raw_roles_or_macros(site: Path) -> None:
    for page in pages():
        html = (site / page_url(page) / "index.html").read_text(encoding="utf-8")
        # Code is allowed to show the syntax (the design page explains the macros).
        text = re.sub(r"<code\b.*?</code>", "", html, flags=re.S)
        assert not ROLE.search(text), page
        assert not MACRO.search(text), page
        assert "``" not in text, f"{page}: reST double backticks left in the text"


@pytest.mark.slow
def test_marks_name_their_claim_and_status(site: Path) -> None:
    from nbn.ledger import get_claim

    seen = 0
    for page in pages():
        for mark in _parse(site / page_url(page) / "index.html").marks:
            claim = get_claim(str(mark["data-claim"]))
            expected = "erratum" if claim.kind == "erratum" else "passed"
            assert mark["data-status"] == expected, (page, mark)
            assert mark.get("data-kind") == claim.kind, (page, mark)
            assert "1e-" not in (mark.get("aria-label") or ""), (page, mark)
            seen += 1
    assert seen > 50, f"only {seen} marks found in the built site"


@pytest.mark.slow
def test_errata_page_links_resolve_within_the_page(site: Path) -> None:
    html = (site / "errata" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    fragments = set(re.findall(r'href="#([^"]+)"', html))
    assert any(f.startswith("erratum-") for f in fragments)
    assert fragments <= ids, sorted(fragments - ids)
