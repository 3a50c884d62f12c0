"""The listings of nbn's code on the site are the code that runs, character for character.

``docs/code-beside.md`` shows nbn's layer, cost and training-loop functions
beside the equations they implement, read from the modules at build time
(``docs/_support/listing.py``). These tests find every listing by its title
(``source: nbn.linear.LinearLayer.forward``), in what the page's blocks print
and (slow) in the built HTML, and compare its text with ``inspect.getsource``
of the function, looked up here by its Python object, not by the helper.
"""

from __future__ import annotations

import html
import inspect
import re
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docs_pages import built_site, page_url, run_page

import nbn
from nbn.activation import ActivationLayer
from nbn.sigmoid import SigmoidLayer

PAGE = "code-beside.md"

#: What the page must show (issue 20): each title, and the function it names.
EXPECTED: dict[str, Callable[..., Any]] = {
    "nbn.linear.LinearLayer.forward": nbn.LinearLayer.forward,
    "nbn.linear.LinearLayer.backward": nbn.LinearLayer.backward,
    "nbn.linear.LinearLayer.update_params": nbn.LinearLayer.update_params,
    "nbn.sigmoid.SigmoidLayer.activate": SigmoidLayer.activate,
    "nbn.sigmoid.SigmoidLayer.local_grad": SigmoidLayer.local_grad,
    "nbn.activation.ActivationLayer.forward": ActivationLayer.forward,
    "nbn.activation.ActivationLayer.backward": ActivationLayer.backward,
    "nbn.costs.compute_cost": nbn.compute_cost,
    "nbn.sequential.Sequential.forward": nbn.Sequential.forward,
    "nbn.sequential.Sequential.backward": nbn.Sequential.backward,
    "nbn.sequential.Sequential.step": nbn.Sequential.step,
    "nbn.sequential.Sequential.train": nbn.Sequential.train,
}

_FENCED = re.compile(r'^(`{3,})python title="source: ([\w.]+)"\n(.*?)\n\1$', re.M | re.S)


def _module_source(function: Callable[..., Any]) -> str:
    return textwrap.dedent(inspect.getsource(function)).rstrip("\n")


def _listings_in_markdown(outputs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for output in outputs[:-1]:
        for match in _FENCED.finditer(output):
            assert match.group(2) not in found, f"{match.group(2)} is listed twice"
            found[match.group(2)] = match.group(3)
    return found


def test_page_lists_exactly_the_module_source_of_each_function() -> None:
    shown = _listings_in_markdown(run_page(PAGE))
    assert sorted(shown) == sorted(EXPECTED)
    for title, function in EXPECTED.items():
        expected = _module_source(function)
        assert shown[title] == expected, f"{title}: shown\n{shown[title]!r}\nsource\n{expected!r}"


def test_listing_pattern_finds_a_listing_and_rejects_a_typed_copy() -> None:
    """The finder above sees a listing only with its exact title and fence."""
    text = '```python title="source: nbn.costs.compute_cost"\ndef f():\n    pass\n```'
    assert _listings_in_markdown([text, ""]) == {"nbn.costs.compute_cost": "def f():\n    pass"}
    assert _listings_in_markdown(["```python\ndef f(): pass\n```", ""]) == {}


def test_page_states_the_shape_of_the_arrays_of_each_layer() -> None:
    outputs = run_page(PAGE)
    tables = "\n".join(outputs[:-1])
    # The shapes the article's convention gives (features x examples), by hand.
    for array, shape in (
        ("A_prev", "(n_in, m)"),
        ("self.Z", "(n_out, m)"),
        ("self.dW", "(n_out, n_in)"),
        ("self.db", "(n_out, 1)"),
        ("self.dA_prev", "(n_in, m)"),
        ("self.dZ", "(n, m)"),
        ("dY_hat", "(n_out, m)"),
        ("X", "(n_in, m)"),
    ):
        assert f"| `{array}` | {shape} |" in tables, (array, shape)


class _Listings(HTMLParser):
    """The text of each ``<code>`` that follows a code block's title in built HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._title: list[str] | None = None
        self._current: str | None = None
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "filename" in classes:
            self._title = []
        elif tag == "code" and self._current is not None:
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._title is not None:
            title = "".join(self._title).strip()
            self._title = None
            if title.startswith("source: "):
                self._current = title[len("source: ") :]
        elif tag == "code" and self._code is not None and self._current is not None:
            self.found[self._current] = "".join(self._code)
            self._code = self._current = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        elif self._code is not None:
            self._code.append(data)


@pytest.mark.slow
def test_built_page_shows_exactly_the_module_source_of_each_function() -> None:
    build = built_site()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output[-4000:]}"
    page = Path(build.site) / page_url(PAGE) / "index.html"
    parser = _Listings()
    parser.feed(page.read_text(encoding="utf-8"))
    assert sorted(parser.found) == sorted(EXPECTED)
    for title, function in EXPECTED.items():
        shown = html.unescape(parser.found[title]).rstrip("\n")
        assert shown == _module_source(function), f"{title}: shown {shown!r}"
