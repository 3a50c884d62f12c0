"""Load every page of the built site in headless Chromium, served from 127.0.0.1.

Marker ``browser`` (opt-in: ``pytest -m browser``; ``.ci/run`` runs it when
Chromium is available, see ``scripts/install-browser.sh``). For each page:
no console errors or page errors, no request to another host (they are
blocked and recorded), math typeset by MathJax (an ``mjx-container`` for every
``arithmatex`` element, no raw ``$$``, ``\\(`` or ``\\[`` left in the text),
every image loaded and every inline SVG figure laid out. Each page is loaded at
desktop width (1280 x 900) and at a phone's (390 x 844), and at both every
formula MathJax typeset must have a size (not the 1 x 1 px a narrow-screen rule
once shrank them to) and the page must be no wider than the screen: wide
content scrolls inside its own box. Every page is also photographed at both
widths in the light and the dark colour scheme (full page), after checking that
the theme really switched; the screenshots are saved under the test's
``tmp_path`` and copied to ``$NBN_SCREENSHOT_DIR`` when that is set, for a
person to look at:

    NBN_SCREENSHOT_DIR=/tmp/shots scripts/test -m browser
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from docs_pages import built_site, page_url, pages

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Colour schemes the screenshots are taken in, and the Material scheme each selects.
SCHEMES = {"light": "default", "dark": "slate"}
#: Screen sizes every page is loaded at: a desktop and a phone (an iPhone 12-15's
#: CSS viewport, below Material's 45em narrow-screen breakpoint).
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
#: A typeset formula narrower or lower than this (CSS px) has collapsed: the
#: smallest real one, a single letter such as $m$ at 16 px, is about 9 x 7 px.
MIN_FORMULA_PX = 3.0
#: Subpixel layout may round the document's width up by one pixel.
WIDTH_SLACK_PX = 1
#: Figures marked ``nbn-readable`` (docs/_support/two_layer.py) never show a label
#: smaller than this many CSS px; less 0.05 px for the rounding of the SVG's
#: width, written in whole pixels.
MIN_LABEL_PX = 11.0 - 0.05
#: Pages with such figures, and how many (so that the check cannot pass vacuously).
READABLE_FIGURES = {"hidden-layers.md": 2}
#: Pages that must contain typeset math and inline SVG figures (so that the
#: checks below cannot pass vacuously).
MATH_PAGES = {"loss.md", "backprop.md", "bias.md", "learning-rate.md", "faq.md"}
FIGURE_PAGES = {
    "single-neuron.md",
    "loss.md",
    "backprop.md",
    "bias.md",
    "learning-rate.md",
    "code.md",
}

#: Text of the page outside code, with MathJax's output removed: raw TeX left
#: here means MathJax did not typeset it.
VISIBLE_TEXT_JS = """() => {
  const clone = document.querySelector('article').cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
  return clone.textContent;
}"""

FIGURES_JS = """() => {
  const imgs = [...document.querySelectorAll('article img')].map(i => ({
    src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}));
  const svgs = [...document.querySelectorAll('article figure svg, article svg.nbn-svg')].map(s => {
    const r = s.getBoundingClientRect();
    return {label: s.getAttribute('aria-label'), ok: r.width > 20 && r.height > 20};
  });
  return {imgs, svgs};
}"""


#: Every formula MathJax typeset, with its TeX and the size of its drawing, and the
#: elements that stick out past the right edge of the screen without a box of
#: their own that scrolls or clips them (at most ten, widest first).
LAYOUT_JS = """() => {
  const formulas = [...MathJax.startup.document.math].map(m => {
    // the drawing itself: on a narrow screen its box keeps padding around it
    const drawn = m.typesetRoot.querySelector('svg') || m.typesetRoot;
    const r = drawn.getBoundingClientRect();
    return {tex: m.math, display: m.display, width: r.width, height: r.height};
  });
  const inBox = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0 && !inBox(e)) {
      const cls = e.getAttribute('class');
      out.push({element: e.tagName.toLowerCase() + (cls ? '.' + cls.split(' ').join('.') : ''),
                label: e.getAttribute('aria-label') || (e.textContent || '').trim().slice(0, 60),
                right: Math.round(r.right)});
    }
  }
  out.sort((a, b) => b.right - a.right);
  return {formulas, scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth, outside: out.slice(0, 10)};
}"""


def check_layout(page: str, screen: str, layout: dict[str, object]) -> list[str]:
    """What is wrong with a page's layout at one screen size, one line per fault."""
    faults = []
    for f in layout["formulas"]:  # type: ignore[attr-defined]
        if f["width"] < MIN_FORMULA_PX or f["height"] < MIN_FORMULA_PX:
            kind = "display" if f["display"] else "inline"
            tex = " ".join(f["tex"].split())
            tex = tex if len(tex) <= 80 else tex[:77] + "..."
            faults.append(
                f"{page} at {screen} width: {kind} formula {tex!r} is drawn "
                f"{f['width']!r} x {f['height']!r} px"
            )
    wide, screen_px = layout["scrollWidth"], layout["innerWidth"]
    if wide > screen_px + WIDTH_SLACK_PX:  # type: ignore[operator]
        faults.append(
            f"{page} at {screen} width: the page is {wide!r} px wide on a {screen_px!r} px "
            f"screen; sticking out: {layout['outside']!r}"
        )
    return faults


#: The size each text of a figure marked nbn-readable is drawn at on the screen:
#: its font size in SVG units times the scale from SVG units to CSS px.
LABELS_JS = """() => [...document.querySelectorAll('figure.nbn-readable')].map(f => {
  const svg = f.querySelector('svg');
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    return {text: t.textContent, px};
  });
  return {label: svg.getAttribute('aria-label'), texts};
})"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh (root and apt needed)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    build = built_site()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output[-4000:]}"
    handler = functools.partial(_QuietHandler, directory=str(build.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("page", pages())
def test_page_renders_offline_in_chromium(
    page: str, screen: str, server: str, browser: object, tmp_path: Path
) -> None:
    errors: list[str] = []
    foreign: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS[screen])  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.on(
        "console",
        lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
    )
    tab.on("pageerror", lambda e: errors.append(f"page error: {e}"))

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", None):
            r.continue_()  # type: ignore[attr-defined]
        else:
            foreign.append(url)
            r.abort()  # type: ignore[attr-defined]

    tab.route("**/*", route)
    tab.goto(server + page_url(page), wait_until="load")
    # Wait for MathJax to finish its first typesetting pass.
    tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    tab.evaluate("() => MathJax.startup.promise")
    tab.wait_for_timeout(100)

    n_math = tab.locator("article .arithmatex").count()
    n_typeset = tab.locator("article .arithmatex mjx-container").count()
    text = tab.evaluate(VISIBLE_TEXT_JS)
    figures = tab.evaluate(FIGURES_JS)
    layout = tab.evaluate(LAYOUT_JS)
    readable = tab.evaluate(LABELS_JS)

    context.close()

    assert not errors, f"{page}: {errors}"
    assert not foreign, f"{page} tried to load from other hosts: {foreign}"
    assert n_typeset >= n_math, f"{page}: {n_math} math elements, {n_typeset} typeset"
    if page in MATH_PAGES:
        assert n_math > 0 and n_typeset > 0, f"{page}: no typeset math found"
    if page in FIGURE_PAGES:
        assert figures["svgs"], f"{page}: no inline SVG figure found"
    for raw in ("$$", "\\(", "\\[", "\\begin{"):
        assert raw not in text, f"{page}: raw TeX {raw!r} left in the text"
    bad_imgs = [i["src"] for i in figures["imgs"] if not i["ok"]]
    bad_svgs = [s["label"] for s in figures["svgs"] if not s["ok"]]
    assert not bad_imgs, f"{page}: images not loaded: {bad_imgs}"
    assert not bad_svgs, f"{page}: figures not laid out: {bad_svgs}"
    if page in MATH_PAGES:
        assert any(f["display"] for f in layout["formulas"]), f"{page}: no display formula"
    faults = check_layout(page, screen, layout)
    assert not faults, "\n".join(faults)
    assert len(readable) == READABLE_FIGURES.get(page, len(readable)), (
        f"{page}: {len(readable)} figures marked nbn-readable, expected "
        f"{READABLE_FIGURES.get(page)!r}"
    )
    for fig in readable:
        assert fig["texts"], f"{page}: figure {fig['label']!r} has no text"
        small = [(t["text"], t["px"]) for t in fig["texts"] if t["px"] < MIN_LABEL_PX]
        assert not small, (
            f"{page} at {screen} width: figure {fig['label']!r} shows labels below "
            f"{MIN_LABEL_PX!r} px: {small[:5]!r}"
        )


def _open(browser: object, url: str, scheme: str, screen: str) -> tuple[object, object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=VIEWPORTS[screen], color_scheme=scheme
    )
    tab = context.new_page()
    tab.goto(url, wait_until="load")
    tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    tab.evaluate("() => MathJax.startup.promise")
    tab.wait_for_timeout(100)
    return context, tab


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("page", pages())
def test_page_screenshot_in_light_and_dark(
    page: str, scheme: str, screen: str, server: str, browser: object, tmp_path: Path
) -> None:
    context, tab = _open(browser, server + page_url(page), scheme, screen)
    shown = tab.evaluate(  # type: ignore[attr-defined]
        "() => document.body.getAttribute('data-md-color-scheme')"
    )
    shot = tmp_path / f"{page[:-3]}-{scheme}-{screen}.png"
    tab.screenshot(path=str(shot), full_page=True)  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    assert shown == SCHEMES[scheme], f"{page}: asked for {scheme}, the theme shows {shown}"
    assert shot.stat().st_size > 10_000, f"{page}: the {scheme} screenshot is nearly empty"
    if os.environ.get("NBN_SCREENSHOT_DIR"):
        target = Path(os.environ["NBN_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target / shot.name)
