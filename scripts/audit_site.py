"""Audit a built nbn site: the site's guarantee, whatever engine built it.

The engines differ in what they let through: markdown-exec turns a failing
code block into a warning (fatal only under MkDocs' ``--strict``), Zensical
passes a build whose blocks raised, and neither checks the links inside the
HTML that code blocks print. This audit reads the built HTML (and CSS) itself,
with the standard library only, and reports, naming page and place:

``failed-block``
    a trace of a code block that raised: a Python traceback, or markdown-exec's
    failure output (a ``<code block: ...>`` frame);
``raw-fence``
    an executable fence (```` ```python exec="true" ````) left as text: a block
    that never ran;
``macro``
    an unreplaced ``[[badge:...]]``, ``[[check:...]]``, ``[[value:...]]`` or ``[[sources]]``
    outside code;
``badge-status``
    a verification mark (an element with ``data-claim``) whose ``data-status``
    is not a passing status (``passed``, ``erratum``);
``nav-page``
    a page of the nav of ``mkdocs.yml`` that was not built;
``link``
    an internal link or asset reference (``href``, ``src``, SVG ``href``) whose
    target file does not exist or whose ``#anchor`` is not an id on the target;
``rest-role``
    a raw reStructuredText role (``:func:``, ``:meth:``, ``:class:``, ``:mod:``...)
    in the text outside code;
``math``
    math source (``$$``, ``\\(``, ``\\[``, ``\\begin{``, ``$x^2$``) outside the
    math containers (``class="arithmatex"``), code and scripts: MathJax only
    typesets the containers, so it would show as raw TeX;
``remote``
    an asset loaded from another host (script, stylesheet, image, frame, font,
    CSS ``url()`` or ``@import``): the site must work offline.

Command line: ``python -m scripts.audit_site SITE_DIR [--config mkdocs.yml]``;
exit status 1 if anything is reported.
"""

from __future__ import annotations

import argparse
import bisect
import posixpath
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Statuses of a verification mark that mean "its claim passed its check".
PASSING_STATUSES = frozenset({"passed", "erratum"})

#: Elements whose text is code, script or style: macros, roles and TeX there are shown on purpose.
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
#: Elements whose whole content is left alone by the math rule.
NO_MATH_TAGS = CODE_TAGS | {"svg"}
VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
#: URL schemes that are not files of the site.
NON_FILE_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "about"})
#: ``<link rel>`` values that only name a page: nothing is fetched when the page is viewed.
HARMLESS_LINK_RELS = frozenset({"canonical", "alternate", "prev", "next", "author", "license"})

TRACEBACK = re.compile(r"Traceback \(most recent call last\)")
#: A frame of markdown-exec's code blocks, as it names them in a traceback.
BLOCK_FRAME = re.compile(r"File \"<code block: [^\"]*\"")
#: The last line of a traceback: the exception and its message.
EXCEPTION_LINE = re.compile(
    r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b[^\n]*)$", re.M
)
RAW_FENCE = re.compile(
    r"(?:(?:`{3,}|~{3,})\s*)?\{?\s*\.?(?<![\w-])(?:python|py|pycon)\s[^\n]*?\bexec\s*=\s*[\"']?"
    r"(?:true|1|yes|on)\b",
    re.I,
)
MACRO = re.compile(r"\[\[(?:(?:badge|check|value):[^\]\s]*\]?\]?|sources\]\])")
REST_ROLE = re.compile(
    r"(?<![\w`]):(?:py:)?(?:func|meth|class|mod|attr|exc|obj|data|const|ref):(?=`|\s|$)"
)
MATH_SOURCE = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]*[\\^_{][^$\n]*\$")
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_REMOTE = re.compile(
    r"@import\s+(?:url\()?\s*[\"']?((?:[a-z][a-z0-9+.-]*:)?//[^\"')\s;]+)"
    r"|url\(\s*[\"']?((?:[a-z][a-z0-9+.-]*:)?//[^\"')\s]+)",
    re.I,
)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: the page (path in the site), the place on it, the rule, what was seen."""

    page: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: [{self.rule}] {self.message}"


@dataclass
class _Reference:
    url: str
    line: int
    tag: str
    attr: str


@dataclass
class PageScan:
    """What one HTML file holds: its ids, its references, and the problems found in it."""

    path: str
    ids: set[str] = field(default_factory=set)
    references: list[_Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _PageParser(HTMLParser):
    """One pass over a page: ids, references, and the text rules with their context."""

    def __init__(self, scan: PageScan) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = scan
        #: Open elements: (tag, is_math_container).
        self.stack: list[tuple[str, bool]] = []
        #: All the page's text, and where each piece starts (offset, line): code
        #: highlighting cuts a traceback into many elements, so it is looked
        #: for in the text joined up.
        self.text: list[str] = []
        self.starts: list[tuple[int, int]] = []
        self.length = 0

    # -- context of the current text
    def _inside(self, tags: frozenset[str]) -> bool:
        return any(tag in tags for tag, _ in self.stack)

    def _in_math(self) -> bool:
        return any(math for _, math in self.stack)

    def _problem(self, rule: str, message: str) -> None:
        self.scan.problems.append(Problem(self.scan.path, self.getpos()[0], rule, message))

    # -- elements
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.scan.ids.add(values[name])
        self._check_badge(tag, values)
        self._collect_references(tag, values)
        style = values.get("style", "")
        for match in CSS_REMOTE.finditer(style):
            self._problem("remote", f"<{tag} style> loads {match.group(1) or match.group(2)}")
        if tag not in VOID_TAGS:
            math = "arithmatex" in values.get("class", "").split()
            self.stack.append((tag, math))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def _check_badge(self, tag: str, values: dict[str, str]) -> None:
        if "data-claim" not in values:
            return
        claim = values["data-claim"]
        status = values.get("data-status")
        if not claim:
            self._problem("badge-status", f"<{tag}> verification mark with an empty data-claim")
        elif status not in PASSING_STATUSES:
            shown = "no data-status" if status is None else f"data-status={status!r}"
            self._problem("badge-status", f"claim {claim!r} is marked with {shown}")

    def _collect_references(self, tag: str, values: dict[str, str]) -> None:
        line = self.getpos()[0]
        for attr in ("href", "src", "xlink:href", "data", "poster"):
            url = values.get(attr)
            if url is None or (attr == "data" and tag != "object"):
                continue
            self.scan.references.append(_Reference(url.strip(), line, tag, attr))
            if REMOTE.match(url) and self._loads_asset(tag, attr, values):
                self._problem("remote", f"<{tag} {attr}> loads {url}")
        for candidate in values.get("srcset", "").split(","):
            url = candidate.strip().split(" ")[0]
            if url and REMOTE.match(url):
                self._problem("remote", f"<{tag} srcset> loads {url}")

    @staticmethod
    def _loads_asset(tag: str, attr: str, values: dict[str, str]) -> bool:
        """Whether a remote URL here is fetched when the page is viewed (not a mere link)."""
        if tag == "a" or tag == "area" or (attr == "xlink:href" and tag == "a"):
            return False
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            return not (rels and rels <= HARMLESS_LINK_RELS)
        return True

    # -- text
    def handle_data(self, data: str) -> None:
        self.starts.append((self.length, self.getpos()[0]))
        self.text.append(data)
        self.length += len(data)
        if not data.strip():
            return
        in_pre = self._inside(frozenset({"pre"}))
        in_code = self._inside(CODE_TAGS)
        if not in_pre and RAW_FENCE.search(data):
            self._problem("raw-fence", f"an executable block was not run: {_short(data)!r}")
        if self.stack and self.stack[-1][0] == "style":
            for match in CSS_REMOTE.finditer(data):
                self._problem("remote", f"<style> loads {match.group(1) or match.group(2)}")
        if in_code:
            return
        for match in MACRO.finditer(data):
            self._problem("macro", f"unreplaced claim macro {match.group(0)!r}")
        for match in REST_ROLE.finditer(data):
            self._problem("rest-role", f"raw reST role {match.group(0)!r} in {_short(data)!r}")
        if not self._in_math() and not self._inside(NO_MATH_TAGS):
            for match in MATH_SOURCE.finditer(data):
                self._problem(
                    "math",
                    f"math source {match.group(0)!r} outside a math container in {_short(data)!r}",
                )

    def close(self) -> None:
        super().close()
        self._check_tracebacks()

    def _line_at(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, (offset, sys.maxsize)) - 1
        return self.starts[max(index, 0)][1]

    def _check_tracebacks(self) -> None:
        text = "".join(self.text)
        headers = list(TRACEBACK.finditer(text))
        # A traceback is reported by its header; a frame of a code block alone
        # (a traceback whose header was cut off) is reported too.
        found = headers or list(BLOCK_FRAME.finditer(text))
        for match in found:
            last = EXCEPTION_LINE.search(text, match.end())
            what = f": {_short(last.group(1))}" if last else ""
            self.scan.problems.append(
                Problem(
                    self.scan.path,
                    self._line_at(match.start()),
                    "failed-block",
                    f"a code block raised (its traceback is on the page){what}",
                )
            )


def scan_page(path: str, text: str) -> PageScan:
    """Parse one HTML page (``path`` as it is named in reports)."""
    scan = PageScan(path)
    parser = _PageParser(scan)
    parser.feed(text)
    parser.close()
    return scan


def css_problems(path: str, text: str) -> list[Problem]:
    """Remote ``@import`` and ``url()`` in a stylesheet."""
    out = []
    for match in CSS_REMOTE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        out.append(
            Problem(path, line, "remote", f"stylesheet loads {match.group(1) or match.group(2)}")
        )
    return out


# ---------------------------------------------------------------- links


def _target_file(site: Path, page: str, url_path: str) -> str | None:
    """The site file (relative path) a URL path points to from ``page``, or None if none."""
    path = unquote(url_path)
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined.startswith(".."):
        return None
    candidates = [joined]
    if path.endswith("/") or not posixpath.splitext(joined)[1]:
        candidates.insert(0, posixpath.join(joined, "index.html"))
    for candidate in candidates:
        full = site / candidate
        if full.is_file():
            return posixpath.normpath(candidate)
    return None


def link_problems(site: Path, scans: dict[str, PageScan]) -> list[Problem]:
    """Internal references whose file or ``#anchor`` does not exist."""
    out = []
    for page, scan in scans.items():
        for ref in scan.references:
            parts = urlsplit(ref.url)
            if parts.scheme.lower() in NON_FILE_SCHEMES or parts.netloc or REMOTE.match(ref.url):
                continue
            if parts.scheme:  # any other scheme (http: without //...) is not a site file
                continue
            where = f"<{ref.tag} {ref.attr}={ref.url!r}>"
            if parts.path:
                target = _target_file(site, page, parts.path)
                if target is None:
                    out.append(
                        Problem(page, ref.line, "link", f"{where}: no such file in the site")
                    )
                    continue
            else:
                target = page
            anchor = unquote(parts.fragment)
            if not anchor or target not in scans:
                continue
            if anchor not in scans[target].ids:
                out.append(
                    Problem(page, ref.line, "link", f"{where}: no id {anchor!r} on {target}")
                )
    return out


# ---------------------------------------------------------------- nav


def nav_pages(config: Path) -> list[str]:
    """The Markdown pages of the nav of ``mkdocs.yml`` (paths under ``docs_dir``)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        """Safe loading that ignores MkDocs' ``!!python/name:`` and ``!ENV`` tags."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)
    out: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str):
            if item.endswith(".md") and not REMOTE.match(item):
                out.append(item)
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for child in item.values():
                walk(child)

    walk((data or {}).get("nav", []))
    return out


def built_path(page: str) -> str:
    """Where a page's HTML is written, with directory URLs (``bias.md`` -> ``bias/index.html``)."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


# ---------------------------------------------------------------- the audit


def _files(site: Path, suffix: str) -> Iterable[Path]:
    return sorted(p for p in site.rglob(f"*{suffix}") if p.is_file())


def audit(site: Path, config: Path | None = None) -> list[Problem]:
    """Every problem found in the built site ``site`` (sorted by page and line).

    ``config`` is the ``mkdocs.yml`` whose nav must have been built; without it
    the nav rule is skipped.
    """
    site = Path(site)
    if not (site / "index.html").is_file():
        return [Problem(".", 0, "nav-page", f"{site} holds no built site (no index.html)")]
    scans: dict[str, PageScan] = {}
    problems: list[Problem] = []
    for path in _files(site, ".html"):
        rel = path.relative_to(site).as_posix()
        scans[rel] = scan_page(rel, path.read_text(encoding="utf-8", errors="replace"))
        problems += scans[rel].problems
    for path in _files(site, ".css"):
        rel = path.relative_to(site).as_posix()
        problems += css_problems(rel, path.read_text(encoding="utf-8", errors="replace"))
    problems += link_problems(site, scans)
    if config is not None:
        for page in nav_pages(config):
            if built_path(page) not in scans:
                problems.append(
                    Problem(
                        built_path(page), 0, "nav-page", f"{page} is in the nav but was not built"
                    )
                )
    return sorted(set(problems))


def format_report(problems: list[Problem], site: Path) -> str:
    """The problems, one a line, with a count per rule."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.rule] = counts.get(problem.rule, 0) + 1
    summary = ", ".join(f"{rule}: {n}" for rule, n in sorted(counts.items()))
    lines = [f"audit of {site}: {len(problems)} problem(s) ({summary})"]
    lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.audit_site", description=__doc__)
    parser.add_argument("site", type=Path, help="the built site's directory")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    config = args.config if args.config.is_file() else None
    problems = audit(args.site, config)
    if problems:
        print(format_report(problems, args.site), file=sys.stderr)
        return 1
    print(f"audit of {args.site}: no problem found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
