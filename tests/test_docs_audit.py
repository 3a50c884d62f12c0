"""The post-build audit (``scripts/audit_site.py``) on small hand-written sites.

One test per rule: a clean two-page site passes, and each kind of break, put
into it by hand, is reported with its rule, page and line. The slow tests in
``tests/test_docs_build.py`` check the same audit on real builds by both
engines with a broken library.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_pages import ROOT  # noqa: F401  (puts the repository root on sys.path)

from scripts.audit_site import Problem, audit, built_path, format_report, nav_pages

CONFIG = """\
site_name: test
nav:
  - Home: index.md
  - Part:
      - The page: page.md
  - Outside: https://example.org/
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""

HEAD = '<html><head><script src="{up}assets/mathjax.js"></script></head><body><article>'
TAIL = "</article></body></html>"

INDEX = (
    HEAD.format(up="") + '<h1 id="home">Home</h1><p>See <a href="page/#gradients">the page</a>'
    ' and <a href="page/">it again</a>, <a href="#home">top</a>,'
    ' <a href="https://example.org/">a remote link</a>,'
    ' <a href="mailto:x@example.org">mail</a>.</p>' + TAIL
)
PAGE = (
    HEAD.format(up="../") + '<h2 id="gradients">Gradients</h2>'
    '<p>The loss is <span class="nbn-value">0.125</span> '
    '<a class="nbn-badge" data-claim="or-single-loss" data-status="passed" href="../#home">ok</a>'
    ' and <a data-claim="sigmoid-at-2" data-status="erratum" href="../">erratum</a>.</p>'
    '<p>Math: <span class="arithmatex">\\(\\sigma(z)^2\\)</span> and '
    '<div class="arithmatex">\\[ x_1 \\]</div></p>'
    "<pre><code>print('[[badge:example]]')  # :func:`f` in code is fine, $$ too\n"
    '```python exec="true"\n</code></pre>'
    "<p>A macro in code: <code>[[badge:id]]</code>.</p>"
    '<svg><defs><path id="g1" d="M0 0"/></defs><use xlink:href="#g1"/></svg>'
    '<img src="../assets/figure.png" alt="figure">' + TAIL
)


def make_site(tmp_path: Path, **pages: str) -> tuple[Path, Path]:
    """A built site in ``tmp_path/site`` (clean unless pages are replaced) and its config."""
    files = {
        "index.html": INDEX,
        "page/index.html": PAGE,
        "assets/mathjax.js": "window.MathJax = {};",
        "assets/figure.png": "png",
        "assets/site.css": "body { background: url(figure.png) }",
    }
    for name, text in pages.items():
        files[name.replace("__", "/").replace("_html", ".html").replace("_css", ".css")] = text
    site = tmp_path / "site"
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return site, config


def rules(problems: list[Problem]) -> set[str]:
    return {p.rule for p in problems}


def test_a_clean_site_passes(tmp_path: Path) -> None:
    site, config = make_site(tmp_path)
    assert audit(site, config) == []


def test_nav_pages_are_read_from_nested_sections_and_skip_urls(tmp_path: Path) -> None:
    _, config = make_site(tmp_path)
    assert nav_pages(config) == ["index.md", "page.md"]
    assert built_path("page.md") == "page/index.html"
    assert built_path("index.md") == "index.html"
    assert built_path("guide/index.md") == "guide/index.html"


def test_nav_page_not_built_is_reported(tmp_path: Path) -> None:
    site, config = make_site(tmp_path)
    (site / "page" / "index.html").unlink()
    problems = audit(site, config)
    assert Problem("page/index.html", 0, "nav-page", "page.md is in the nav but was not built") in (
        problems
    )


def test_a_missing_site_is_one_problem(tmp_path: Path) -> None:
    problems = audit(tmp_path / "nothing")
    assert rules(problems) == {"nav-page"} and "no index.html" in problems[0].message


def _failure_markup() -> str:
    """What markdown-exec puts on a page for a block that raised (highlighted)."""
    import markdown
    import markdown_exec

    fence = {
        "name": "python",
        "class": "python",
        "validator": markdown_exec.validator,
        "format": markdown_exec.formatter,
    }
    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
    )
    return str(md.convert('```python exec="true"\nraise ValueError("broken on purpose")\n```\n'))


def test_traceback_of_a_failed_block_is_reported_with_its_line(tmp_path: Path) -> None:
    markup = _failure_markup()
    assert "<span" in markup  # highlighted: the traceback's words are in separate elements
    failed = PAGE.replace("</article>", "\n" + markup + "</article>")
    site, config = make_site(tmp_path, page__index_html=failed)
    problems = audit(site, config)
    assert [p.rule for p in problems] == ["failed-block"]
    assert problems[0].line == PAGE.count("\n") + 2
    assert problems[0].message.endswith("ValueError: broken on purpose")


def test_a_code_block_frame_without_its_header_is_reported(tmp_path: Path) -> None:
    frame = '<pre><code>  File "&lt;code block: session loss; n1&gt;", line 3</code></pre>'
    site, config = make_site(
        tmp_path, page__index_html=PAGE.replace("</article>", frame + "</article>")
    )
    assert [p.rule for p in audit(site, config)] == ["failed-block"]


@pytest.mark.parametrize(
    "shown",
    [
        '<code>python exec="true"\nprint(1)</code>',  # an unparsed fence, as Markdown shows it
        '```python exec="1" session="loss"',
        '~~~{.pycon exec="on"}',
    ],
)
def test_raw_exec_fence_outside_code_blocks_is_reported(tmp_path: Path, shown: str) -> None:
    raw = PAGE.replace("</article>", f"<p>{shown}</p></article>")
    site, config = make_site(tmp_path, page__index_html=raw)
    assert rules(audit(site, config)) == {"raw-fence"}


def test_words_ending_in_py_before_exec_are_not_fences(tmp_path: Path) -> None:
    prose = PAGE.replace("</article>", '<p>Be happy exec="true" is not a fence.</p></article>')
    site, config = make_site(tmp_path, page__index_html=prose)
    assert audit(site, config) == []


@pytest.mark.parametrize(
    "macro", ["[[badge:or-single-loss]]", "[[check:x]]", "[[value:y@1]]", "[[sources]]"]
)
def test_unreplaced_macro_in_text_is_reported(tmp_path: Path, macro: str) -> None:
    site, config = make_site(tmp_path, index_html=INDEX.replace("top</a>", f"top</a> {macro}"))
    problems = audit(site, config)
    assert [(p.page, p.rule) for p in problems] == [("index.html", "macro")]
    assert macro in problems[0].message


@pytest.mark.parametrize(
    ("attributes", "shown"),
    [
        ('data-claim="or-single-loss" data-status="failed"', "data-status='failed'"),
        ('data-claim="or-single-loss"', "no data-status"),
        ('data-claim="" data-status="passed"', "empty data-claim"),
    ],
)
def test_badge_without_a_passing_status_is_reported(
    tmp_path: Path, attributes: str, shown: str
) -> None:
    page = PAGE.replace('data-claim="or-single-loss" data-status="passed"', attributes)
    site, config = make_site(tmp_path, page__index_html=page)
    problems = audit(site, config)
    assert rules(problems) == {"badge-status"} and shown in problems[0].message


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("../gradients.md", "no such file"),
        ("../missing/", "no such file"),
        ("../#nowhere", "no id 'nowhere' on index.html"),
        ("#exec-3--erratum-x", "no id 'exec-3--erratum-x' on page/index.html"),
        ("../../outside/", "no such file"),
    ],
)
def test_internal_link_that_does_not_resolve_is_reported(
    tmp_path: Path, href: str, reason: str
) -> None:
    page = PAGE.replace(
        "</article>", f'<div><a href="{href}">printed by a block</a></div></article>'
    )
    site, config = make_site(tmp_path, page__index_html=page)
    problems = audit(site, config)
    assert [(p.page, p.rule) for p in problems] == [("page/index.html", "link")]
    assert reason in problems[0].message


def test_missing_asset_and_svg_reference_are_links_too(tmp_path: Path) -> None:
    page = PAGE.replace("../assets/figure.png", "../assets/gone.png").replace('"#g1"', '"#g2"')
    site, config = make_site(tmp_path, page__index_html=page)
    messages = [p.message for p in audit(site, config)]
    assert len(messages) == 2
    assert any("gone.png" in m for m in messages) and any("'g2'" in m for m in messages)


def test_root_absolute_links_resolve_against_the_site_root(tmp_path: Path) -> None:
    site, config = make_site(
        tmp_path, _404_html=HEAD.format(up="/") + '<a href="/">home</a>' + TAIL
    )
    assert audit(site, config) == []


@pytest.mark.parametrize("role", [":func:", ":meth:", ":class:", ":mod:"])
def test_raw_rest_role_in_text_is_reported(tmp_path: Path, role: str) -> None:
    page = PAGE.replace("</article>", f"<p>Trained by {role}<code>fit</code>.</p></article>")
    site, config = make_site(tmp_path, page__index_html=page)
    problems = audit(site, config)
    assert rules(problems) == {"rest-role"} and role in problems[0].message


@pytest.mark.parametrize(
    "math", ["$$ x^2 $$", "\\(\\sigma\\)", "\\[ y \\]", "\\begin{bmatrix}1\\end{bmatrix}", "$x_1$"]
)
def test_math_outside_its_container_is_reported(tmp_path: Path, math: str) -> None:
    page = PAGE.replace("</article>", f"<p>Printed raw: {math}</p></article>")
    site, config = make_site(tmp_path, page__index_html=page)
    assert rules(audit(site, config)) == {"math"}


def test_prices_and_lone_dollars_are_not_math(tmp_path: Path) -> None:
    page = PAGE.replace("</article>", "<p>It costs $5 and $10 a month.</p></article>")
    site, config = make_site(tmp_path, page__index_html=page)
    assert audit(site, config) == []


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdn.example.org/mathjax.js"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">',
        '<img src="http://example.org/a.png" alt="">',
        "<style>@import url('https://fonts.example.org/a.css');</style>",
        '<div style="background: url(https://example.org/x.png)"></div>',
    ],
)
def test_remote_asset_in_a_page_is_reported(tmp_path: Path, tag: str) -> None:
    site, config = make_site(tmp_path, index_html=INDEX.replace("</article>", tag + "</article>"))
    problems = audit(site, config)
    assert [(p.page, p.rule) for p in problems] == [("index.html", "remote")]


def test_remote_font_in_a_stylesheet_is_reported(tmp_path: Path) -> None:
    css = "@font-face { src: url(https://fonts.gstatic.com/x.woff2) }"
    site, config = make_site(tmp_path, assets__site_css=css)
    problems = audit(site, config)
    assert [(p.page, p.rule) for p in problems] == [("assets/site.css", "remote")]


def test_links_that_only_name_a_page_are_not_remote_assets(tmp_path: Path) -> None:
    tag = '<link rel="canonical" href="https://example.org/page/">'
    site, config = make_site(tmp_path, index_html=INDEX.replace("</article>", tag + "</article>"))
    assert audit(site, config) == []


def test_report_counts_problems_per_rule(tmp_path: Path) -> None:
    site, config = make_site(
        tmp_path, index_html=INDEX.replace("top</a>", "[[check:x]] :func:<code>f</code>")
    )
    report = format_report(audit(site, config), site)
    assert "2 problem(s) (macro: 1, rest-role: 1)" in report
    assert "index.html:1: [macro]" in report
