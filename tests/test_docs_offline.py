"""The built site renders offline: nothing is loaded from another host.

Every HTML and CSS file of the built site is scanned for remote ``<script
src>``, ``<link href>``, ``<img src>``, ``@import`` and ``url(...)``
references, and MathJax must be served from the site itself.

The checks of the built site are marked ``slow``: the strict build takes about
half a minute. They build once per test process (shared with the browser
test), or use the site in ``$NBN_SITE_DIR`` (CI points it at the ``site/``
that ``scripts/docs build`` has just built).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_pages import MKDOCS_YML, built_site

REMOTE = r"(?:https?:)?//"
SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(" + REMOTE + r"[^\"'\s>]+)", re.I)
LINK_HREF = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(" + REMOTE + r"[^\"'\s>]+)", re.I)
IMG_SRC = re.compile(
    r"<(?:img|source|iframe)\b[^>]*\bsrc\s*=\s*[\"']?(" + REMOTE + r"[^\"'\s>]+)", re.I
)
IMPORT = re.compile(r"@import\s+(?:url\()?\s*[\"']?(" + REMOTE + r"[^\"')\s;]+)", re.I)
CSS_URL = re.compile(r"url\(\s*[\"']?(" + REMOTE + r"[^\"')\s]+)", re.I)
#: <link rel="..."> values that only name a page (no fetch when the page is viewed).
HARMLESS_LINK_RELS = {"canonical", "alternate", "prev", "next", "author", "license"}


@pytest.fixture(scope="module")
def site() -> Path:  # used by the slow tests only
    build = built_site()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output[-4000:]}"
    return build.site


def _remote_refs(text: str) -> list[str]:
    found = []
    for pattern in (SCRIPT_SRC, IMG_SRC, IMPORT, CSS_URL):
        found += pattern.findall(text)
    for match in re.finditer(r"<link\b[^>]*>", text, re.I):
        tag = match.group(0)
        rel = re.search(r"\brel\s*=\s*[\"']?([^\"'>]+)", tag, re.I)
        if rel and set(rel.group(1).lower().split()) <= HARMLESS_LINK_RELS:
            continue
        found += LINK_HREF.findall(tag)
    return sorted(set(found))


def test_remote_reference_detector_catches_the_usual_forms() -> None:
    page = (
        '<script src="https://cdn.example.org/mathjax.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">'
        "<style>@import url('https://fonts.example.org/a.css'); "
        "@font-face { src: url(https://fonts.gstatic.com/x.woff2) }</style>"
        '<link rel="canonical" href="https://example.org/page/">'
        '<script src="assets/mathjax/tex-svg-full.js"></script>'
    )
    assert len(_remote_refs(page)) == 4


@pytest.mark.slow
def test_built_html_and_css_load_nothing_from_other_hosts(site: Path) -> None:
    offenders = {}
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        refs = _remote_refs(path.read_text(encoding="utf-8", errors="replace"))
        if refs:
            offenders[str(path.relative_to(site))] = refs
    assert not offenders, f"remote references in the built site: {offenders}"


@pytest.mark.slow
def test_mathjax_is_served_from_the_site(site: Path) -> None:
    bundle = site / "assets" / "mathjax" / "tex-svg-full.js"
    assert bundle.is_file() and bundle.stat().st_size > 1_000_000
    loss = (site / "loss" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="\.\./assets/mathjax/tex-svg-full\.js"', loss)
    assert 'class="arithmatex"' in loss


@pytest.mark.slow
def test_no_remote_fonts_are_configured(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index and "fonts.gstatic.com" not in index


def test_site_configuration_loads_nothing_remote() -> None:
    import yaml

    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    assert config["strict"] is True
    assert config["theme"]["font"] is False, "Material must not load Google Fonts"
    assert "repo_url" not in config, "a repository link makes Material fetch its stats"
    for asset in [*config.get("extra_javascript", []), *config.get("extra_css", [])]:
        path = asset if isinstance(asset, str) else asset["path"]
        assert not re.match(REMOTE, path) and "://" not in path, f"remote asset {path}"
    assert "assets/mathjax/tex-svg-full.js" in config["extra_javascript"]
