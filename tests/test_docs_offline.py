"""The built site renders offline: nothing is loaded from another host.

Every HTML and CSS file of the built site is scanned by the audit's ``remote``
rule (``scripts/audit_site.py``: remote ``<script src>``, ``<link href>``,
``<img src>``, ``@import`` and ``url(...)``; its unit tests are in
``tests/test_docs_audit.py``), and MathJax must be served from the site itself.

The checks of the built site are marked ``slow``: a build takes about a minute.
They build once per test process (shared with the browser test), or use the
site in ``$NBN_SITE_DIR`` (CI points it at the site that ``scripts/docs build``
has just built and audited, with each engine in turn).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_pages import MKDOCS_YML, built_site

from scripts.audit_site import audit

REMOTE = r"(?:https?:)?//"


@pytest.fixture(scope="module")
def site() -> Path:  # used by the slow tests only
    build = built_site()
    assert build.returncode == 0, f"the site's build failed:\n{build.output[-4000:]}"
    return build.site


@pytest.mark.slow
def test_built_html_and_css_load_nothing_from_other_hosts(site: Path) -> None:
    assert len([*site.rglob("*.html"), *site.rglob("*.css")]) > 10
    remote = [str(p) for p in audit(site) if p.rule == "remote"]
    assert not remote, "remote references in the built site:\n" + "\n".join(remote)


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


def test_site_configuration_needs_no_engine_hooks() -> None:
    # Zensical runs no MkDocs hooks or plugins of ours: what the site needs at
    # build time is a Markdown extension, which both engines run.
    text = MKDOCS_YML.read_text(encoding="utf-8")
    assert not re.search(r"^hooks:", text, re.M)
    assert re.search(r"^  - claim_macros$", text, re.M)
