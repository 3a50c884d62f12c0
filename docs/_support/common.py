"""Helpers the pages of the nbn site use in their code blocks at build time.

Every number a page shows comes either from the ledger (``nbn.ledger``) or from
code run while the site builds. Ledger numbers go through :func:`require`, which
raises :class:`ClaimCheckError` when the claim's check fails; markdown-exec turns
the exception into a warning and ``strict: true`` turns the warning into a
failed build. So a wrong number cannot reach a built page.

Two ways to show a ledger number:

* in a code block (``python exec="true"``): ``print(badge("or-single-loss"))``
  prints the value followed by a small verification mark; ``value(...)`` gives
  the bare value;
* inline in prose: ``[[badge:or-single-loss]]``, ``[[value:or-single-loss]]`` or
  ``[[check:or-single-loss]]`` (the mark alone; ``[[badge:or-single-forward@1]]``
  shows entry 1 of a tuple value), expanded
  by the Markdown extension ``claim_macros`` (next to this module) before the
  page is converted (:func:`expand_macros`); a failing claim there aborts the
  page's conversion too.

Every badge carries ``data-claim="<id>"`` and ``data-status="passed"`` (or
``"erratum"``): the audit of the built site (``scripts/audit_site.py``) reads
them, whichever engine built the site.

Marks link to the claim's row in the claims index on the errata page
(``errata.md``, anchor ``claim-<id>``). The extension tells this module which
page is being rendered (:func:`set_page`) so that the links are relative and
work when the site is opened from disk.

Figures: :func:`svg` turns a matplotlib figure into inline SVG (text kept as
text, ids unique per figure) and closes it; :func:`graph_svg` does the same for
a graph of the engine (``nbn.graph.render.to_svg``); :func:`figure` adds a
caption. Print them from a block with ``html="true"``. Tables: :func:`table`
(Markdown) and :func:`html_table` (HTML, with row ids).
"""

from __future__ import annotations

import html
import io
import itertools
import math
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "ClaimCheckError",
    "PageContext",
    "as_printed",
    "badge",
    "claim_href",
    "expand_macros",
    "figure",
    "fmt",
    "get_claim",
    "graph_svg",
    "html_table",
    "inline_svg",
    "map_prose",
    "new_figure",
    "oracle_list",
    "page_href",
    "page_url",
    "relative_url",
    "require",
    "set_page",
    "svg",
    "table",
    "tex_matrix",
    "tolerance_text",
    "value",
]


class ClaimCheckError(RuntimeError):
    """A page tried to show a ledger claim whose check failed."""


#: Source path (under ``docs/``) of the claims index that badges link to.
ERRATA_PAGE = "errata.md"


@dataclass
class PageContext:
    """Where the page being rendered lives, for relative links.

    ``page_url`` is its site URL with directory URLs (``"bias/"``; ``""`` for
    the home page), ``page_src`` its source path under ``docs/``
    (``"bias.md"``). ``source_links`` says how the engine treats links in raw
    HTML: MkDocs leaves them as written, so they must be relative to the page's
    URL; Zensical rewrites every relative link as if it were written in the
    page's source file, so they are written to the target's source
    (``errata.md#claim-...``).
    """

    page_url: str = ""
    page_src: str = ""
    source_links: bool = False


CONTEXT = PageContext()


def set_page(
    page_url: str, *, page_src: str | None = None, source_links: bool | None = None
) -> None:
    """Record the page being rendered (called by the ``claim_macros`` extension)."""
    CONTEXT.page_url = page_url
    if page_src is not None:
        CONTEXT.page_src = page_src
    if source_links is not None:
        CONTEXT.source_links = source_links


def page_url(page_src: str) -> str:
    """A page's site URL from its source path, with directory URLs.

    ``"bias.md"`` -> ``"bias/"``, ``"index.md"`` -> ``""``,
    ``"guide/index.md"`` -> ``"guide/"``.
    """
    stem = page_src[: -len(".md")] if page_src.endswith(".md") else page_src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, source: str) -> str:
    """URL of ``target`` relative to the page at ``source`` (both site URLs).

    ``""`` (the home page) is a directory like ``"bias/"``; the page itself is ``""``.
    """
    if target == source:
        return ""
    source_dir = source if source.endswith("/") or source == "" else posixpath.dirname(source)
    rel = posixpath.relpath("/" + target, "/" + source_dir)
    if (target.endswith("/") or target == "") and not rel.endswith("/"):
        rel += "/"
    return rel


def page_href(page_src: str, anchor: str = "") -> str:
    """Relative link from the page being rendered to another page, for raw HTML.

    Parameters
    ----------
    page_src : str
        The target page's source path under ``docs/`` (``"gradients.md"``).
    anchor : str, optional
        An id on the target page.

    A Markdown link (``[text](gradients.md)``) needs no help: the engine
    resolves it. An ``<a href>`` in HTML that a block prints does: MkDocs
    leaves it as written (so it must be the URL relative to this page), while
    Zensical rewrites it as if written in this page's source (so it must be the
    target's source path). The page itself is ``"#anchor"`` (or ``"#"``).
    """
    if page_src == CONTEXT.page_src or (
        not CONTEXT.source_links and page_url(page_src) == CONTEXT.page_url
    ):
        base = ""
    elif CONTEXT.source_links:
        base = posixpath.relpath(page_src, posixpath.dirname(CONTEXT.page_src) or ".")
    else:
        base = relative_url(page_url(page_src), CONTEXT.page_url)
    return f"{base}#{anchor}" if anchor or not base else base


def claim_href(claim_id: str) -> str:
    """Relative link from the current page to the claim's row in the claims index."""
    return page_href(ERRATA_PAGE, f"claim-{claim_id}")


# ---------------------------------------------------------------- ledger claims


def _ledger() -> Any:
    import nbn.ledger as ledger

    return ledger


def get_claim(claim_id: str) -> Any:
    """The ledger's ``Claim`` with this id (its article value, decimals, inputs...)."""
    return _ledger().get_claim(claim_id)


def require(claim_id: str) -> Any:
    """Check a ledger claim and return its ``ClaimResult``; raise if it fails.

    Raises
    ------
    ClaimCheckError
        When the claim's check does not pass (an oracle disagrees with ``nbn``,
        or the article's value is not reproduced for a non-erratum).
    KeyError
        When no claim has this id (the ledger lists the close ids).
    """
    result = _ledger().check_claim(claim_id)
    if not result.passed:
        raise ClaimCheckError(
            f"claim {claim_id!r} ({result.section}) failed its check: {result.detail} "
            f"[computed {result.computed!r}, article {result.article_value!r}, "
            f"oracles {result.oracles!r}]"
        )
    return result


def _component(claim_id: str, computed: Any, index: int | None) -> Any:
    if index is None:
        return computed
    if not isinstance(computed, tuple) or not -len(computed) <= index < len(computed):
        raise IndexError(
            f"claim {claim_id!r}: index {index} asked for, but its value is {computed!r}"
        )
    return computed[index]


def value(claim_id: str, decimals: int | None = None, *, index: int | None = None) -> str:
    """The checked value of a claim, formatted like the article prints it.

    Parameters
    ----------
    claim_id : str
        A ledger claim id.
    decimals : int, optional
        Digits after the point; by default the claim's own ``decimals`` (as the
        article rounds), and 4 significant digits when the article gives none.
    index : int, optional
        For a claim whose value is a tuple, show only this entry.

    A one-entry tuple (a 1 x 1 array) is shown as its entry.
    """
    ledger = _ledger()
    result = require(claim_id)
    shown = _component(claim_id, result.computed, index)
    if isinstance(shown, tuple) and len(shown) == 1:
        shown = shown[0]
    if decimals is None:
        decimals = ledger.get_claim(claim_id).decimals
    if decimals is None and isinstance(shown, (float, tuple)):
        return _significant(shown)
    return str(ledger.format_value(shown, decimals))


def _significant(shown: float | tuple[float, ...], digits: int = 4) -> str:
    """Floats with ``digits`` significant digits; tuples as ``[a, b, ...]``."""
    if isinstance(shown, tuple):
        return "[" + ", ".join(_significant(x, digits) for x in shown) + "]"
    if float(shown).is_integer() and abs(shown) < 1e15:
        return str(int(shown))
    return f"{shown:.{digits}g}"


def tolerance_text(tolerance: float) -> str:
    """A tolerance as the claims index shows it: ``1e-12``, ``1e-6``, ``0``."""
    if tolerance == 0:
        return "0"
    return f"{tolerance:.0e}".replace("e-0", "e-").replace("e+0", "e+")


#: How the marks' tooltips and the errata page name the oracles.
ORACLE_TEXT = {
    "sympy": "SymPy",
    "finite-difference": "finite differences",
    "graph-engine": "the graph engine",
    "proof": "a symbolic proof",
    "reference": "an independent reference implementation",
}

#: The mark's symbol and label for each kind of discrepancy (see ``nbn.ledger.KIND_TEXT``).
KIND_LABEL = {
    "erratum": "erratum",
    "truncated": "rounding",
    "last-digit": "rounding",
    "rule-of-thumb": "rule of thumb",
    "vague": "too vague",
    "convention": "convention",
}


def as_printed(value: Any, decimals: int | None = None) -> str:
    """An article value as the article printed it, not padded to ``decimals``.

    The ledger stores the article's numbers as floats; the shortest text that
    reads back as the float is the article's own text (``0.5``, ``0.0005``,
    ``0.0009210166430616655``). A whole number is shown without ``.0`` unless
    the article prints decimals (``100.0`` for the accuracy).
    """
    if value is None:
        return "\u2014"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "[" + ", ".join(as_printed(v, decimals) for v in value) + "]"
    number = float(value)
    if number.is_integer() and not decimals:
        return str(int(number))
    return repr(number)


def oracle_list(claim: Any) -> str:
    """Each oracle with the relative tolerance it had to meet.

    For example "SymPy (within 1e-12), the graph engine (within 1e-12)";
    "exactly" for a tolerance of 0.
    """
    return ", ".join(
        f"{ORACLE_TEXT.get(o.name, o.name)} (within {tolerance_text(o.tolerance)})"
        if o.tolerance > 0
        else f"{ORACLE_TEXT.get(o.name, o.name)} (exactly)"
        for o in claim.oracles
    )


def badge(
    claim_id: str,
    *,
    show_value: bool | None = None,
    decimals: int | None = None,
    index: int | None = None,
) -> str:
    """Inline HTML: the claim's value followed by a small mark that links to the claim.

    The number reads as a number; the mark (a check, or the kind of discrepancy
    when the article differs) links to the claim's entry in the claims index,
    and its tooltip gives the full-precision value, the oracles that confirmed
    it with their relative tolerances, and what the article prints. The mark
    carries ``data-claim="<id>"`` and ``data-status`` (``"erratum"`` for an
    erratum, ``"passed"`` otherwise) for the post-build audit, and
    ``data-kind`` when the article differs from the computed value.

    Parameters
    ----------
    claim_id : str
        A ledger claim id.
    show_value : bool, optional
        Put the formatted value before the mark; by default yes, except for a
        qualitative claim (computed value ``True``), whose mark stands alone.
    decimals : int, optional
        Digits to show; by default the claim's own ``decimals``.
    index : int, optional
        For a claim whose value is a tuple, show only this entry.
    """
    result = require(claim_id)
    claim = get_claim(claim_id)
    ledger = _ledger()
    if show_value is None:
        show_value = not isinstance(result.computed, bool)
    tip = [f"Claim {claim_id}: {claim.statement}"]
    if not isinstance(result.computed, bool):
        tip.append(f"Computed by nbn: {ledger.format_value(result.computed)}.")
    tip.append(f"Confirmed by {oracle_list(claim)}, as relative differences.")
    if claim.article_value is not None:
        printed = claim.printed or as_printed(claim.article_value, claim.decimals)
        tip.append(f"The article prints {printed}.")
    kind = result.kind
    if kind is not None:
        tip.append(f"{ledger.KIND_TEXT[kind].capitalize()}: see the errata page.")
    status = "erratum" if kind == "erratum" else "passed"
    css = "nbn-mark" + (f" nbn-mark-{kind}" if kind else "")
    symbol = "✓" if kind is None else f"✓ {KIND_LABEL[kind]}"
    aria = f"checked: claim {claim_id}" + (f" ({KIND_LABEL[kind]})" if kind else "")
    kind_attr = f' data-kind="{html.escape(kind)}"' if kind else ""
    mark = (
        f'<a class="{css}" href="{html.escape(claim_href(claim_id))}" '
        f'title="{html.escape(" ".join(tip))}" aria-label="{html.escape(aria)}" '
        f'data-claim="{html.escape(claim_id)}" data-status="{status}"{kind_attr}>'
        f"{html.escape(symbol)}</a>"
    )
    if not show_value:
        return mark
    shown = html.escape(value(claim_id, decimals, index=index))
    # No space between the number and its mark: they wrap together.
    return f'<span class="nbn-value">{shown}</span>{mark}'


_INLINE_CODE = re.compile(r"(`+[^`]*`+)")
_MACRO = re.compile(r"\[\[(badge|value|check):([a-z0-9-]+)(?:@(-?\d+))?\]\]")


def expand_macros(markdown: str) -> str:
    """Replace the inline claim macros in page text (not in code fences or code spans).

    ``[[badge:id]]`` becomes :func:`badge` of the claim (value and badge),
    ``[[check:id]]`` the badge alone, ``[[value:id]]`` the bare :func:`value`;
    ``[[badge:id@1]]`` shows entry 1 of a claim whose value is a tuple.
    """

    def _replace(match: re.Match[str]) -> str:
        kind, claim_id = match.group(1), match.group(2)
        index = int(match.group(3)) if match.group(3) is not None else None
        if kind == "badge":
            return badge(claim_id, index=index)
        if kind == "check":
            return badge(claim_id, show_value=False)
        return value(claim_id, index=index)

    return map_prose(markdown, lambda text: _MACRO.sub(_replace, text), code_spans=False)


def map_prose(markdown: str, change: Callable[[str], str], *, code_spans: bool = True) -> str:
    """Apply ``change`` (str -> str) to the Markdown outside fenced code blocks.

    With ``code_spans=False`` the text inside inline code spans is left alone
    too (``change`` sees the pieces between them).
    """
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        stripped = line.lstrip()
        if fence is None and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3]
            out.append(line)
        elif fence is not None:
            if stripped.startswith(fence):
                fence = None
            out.append(line)
        elif code_spans:
            out.append(change(line))
        else:
            # Leave inline code alone: `[[badge:id]]` in backticks is an example.
            pieces = _INLINE_CODE.split(line)
            out.append("".join(p if i % 2 else change(p) for i, p in enumerate(pieces)))
    return "".join(out)


# ---------------------------------------------------------------- numbers


def fmt(x: float, digits: int = 4) -> str:
    """A computed float for display: ``digits`` decimals, or scientific if tiny/huge."""
    x = float(x)
    if x == 0.0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    if abs(x) < 10.0 ** (-digits) or abs(x) >= 1e6:
        return f"{x:.{max(digits - 1, 1)}e}"
    text = f"{x:.{digits}f}"
    return "0" if float(text) == 0.0 else text


def tex_matrix(array: Any, digits: int = 4) -> str:
    """A NumPy array as a LaTeX ``bmatrix`` (a vector or a matrix)."""
    a = np.atleast_2d(np.asarray(array, dtype=float))
    rows = [" & ".join(fmt(v, digits) for v in row) for row in a]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# ---------------------------------------------------------------- tables


def _cell(x: object) -> str:
    text = x if isinstance(x, str) else fmt(x) if isinstance(x, float) else str(x)
    return text.replace("|", r"\|").replace("\n", " ")


def table(
    rows: Iterable[Sequence[object]],
    headers: Sequence[str],
    align: str | None = None,
) -> str:
    """A Markdown table. Floats are shown with :func:`fmt`; strings as they are.

    Parameters
    ----------
    rows : iterable of sequences
        One sequence per row, as long as ``headers``.
    headers : sequence of str
    align : str, optional
        One letter per column: ``l``, ``c`` or ``r`` (default: ``l``).
    """
    headers = list(headers)
    align = align or "l" * len(headers)
    if len(align) != len(headers):
        raise ValueError(f"align must have one letter per column ({len(headers)}), got {align!r}")
    marks = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "| " + " | ".join(marks[a] for a in align) + " |",
    ]
    for row in rows:
        row = list(row)
        if len(row) != len(headers):
            raise ValueError(f"each row needs {len(headers)} cells, got {len(row)}: {row!r}")
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def html_table(
    rows: Iterable[Sequence[object]],
    headers: Sequence[str],
    *,
    row_ids: Sequence[str] | None = None,
    css: str = "nbn-table",
) -> str:
    """An HTML table; cells are inserted as given (escape them yourself if needed).

    ``row_ids`` gives each ``<tr>`` an ``id`` (link targets, e.g. the claims index).
    """
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(
            f"<td>{c if isinstance(c, str) else fmt(c) if isinstance(c, float) else c}</td>"
            for c in row
        )
        rid = f' id="{row_ids[i]}"' if row_ids is not None else ""
        body.append(f"<tr{rid}>{cells}</tr>")
    return (
        f'<div class="nbn-table-wrap"><table class="{css}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# ---------------------------------------------------------------- figures

_FIGURE_COUNTER = itertools.count(1)

#: Figure defaults: text stays text in the SVG (small, selectable, sharp).
STYLE = {
    "svg.fonttype": "none",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
}


def new_figure(width: float = 6.4, height: float = 4.0, **kwargs: Any) -> Any:
    """``plt.subplots`` with the site's style; returns ``(fig, ax)`` like subplots."""
    with plt.rc_context(STYLE):
        return plt.subplots(figsize=(width, height), **kwargs)


def svg(fig: Any, *, alt: str, max_width: str | None = None) -> str:
    """Inline SVG markup for a matplotlib figure (which is then closed).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        Text alternative, put in the SVG's ``<title>`` and ``aria-label``.
    max_width : str, optional
        CSS width limit, e.g. ``"32rem"``; the figure always shrinks to the page.
    """
    buf = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return inline_svg(buf.getvalue(), alt=alt, max_width=max_width)


def inline_svg(text: str, *, alt: str, max_width: str | None = None) -> str:
    """Make an SVG document (e.g. from ``nbn.graph.render.to_svg``) fit for inlining.

    Drops the XML prolog and doctype, prefixes every ``id`` (and the references
    to it) with a per-figure salt so several figures can share a page, adds a
    ``<title>`` and ``aria-label`` from ``alt``, and removes blank lines (which
    would end a Markdown HTML block).
    """
    salt = f"nbnfig{next(_FIGURE_COUNTER)}"
    start = text.find("<svg")
    if start < 0:
        raise ValueError("expected SVG text containing an <svg> element")
    text = text[start:]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{salt}-\1"', text)
    text = re.sub(r'(href|xlink:href)="#([^"]+)"', rf'\1="#{salt}-\2"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{salt}-\1)", text)
    # min(): an inline max-width overrides the stylesheet's 100%, so it keeps that
    # cap itself (a figure never makes the page wider than a phone's screen)
    style = f' style="max-width: min(100%, {max_width})"' if max_width else ""
    label = html.escape(alt, quote=True)
    text = text.replace("<svg", f'<svg class="nbn-svg" role="img" aria-label="{label}"{style}', 1)
    close = text.find(">")
    text = text[: close + 1] + f"<title>{html.escape(alt)}</title>" + text[close + 1 :]
    return "\n".join(line for line in text.splitlines() if line.strip())


def graph_svg(graph: Any, *, alt: str, max_width: str | None = None, **options: Any) -> str:
    """Inline SVG of a graph-engine graph, drawn by ``nbn.graph.render.to_svg``.

    ``options`` go to ``to_svg`` (e.g. ``hide_data=True``, ``title=...``).
    """
    from nbn.graph.render import to_svg

    return inline_svg(to_svg(graph, **options), alt=alt, max_width=max_width)


def figure(markup: str, caption: str) -> str:
    """Wrap figure markup (inline SVG from :func:`svg` or the graph renderer) with a caption.

    ``caption`` may contain inline HTML (escape it yourself if needed).
    """
    return f'<figure class="nbn-figure">{markup}<figcaption>{caption}</figcaption></figure>'
