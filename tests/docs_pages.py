"""Shared helpers of the docs tests: the site's pages, their code blocks, a build.

* :func:`pages` lists the Markdown pages in the nav of ``mkdocs.yml``;
* :func:`code_blocks` extracts a page's ``python exec="true"`` blocks the way
  markdown-exec sees them (language, options, code);
* :func:`run_page` runs them in order, sharing globals between blocks of the
  same ``session`` as markdown-exec does, then expands the page's inline claim
  macros; it returns what each block printed;
* :func:`build_site` builds the site with either engine into a directory (through
  ``scripts/build_site.py``, as ``scripts/docs`` does), and :func:`built_site`
  does it once per test process (a session-wide build shared by the offline,
  build and browser tests).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SUPPORT = DOCS / "_support"
MKDOCS_YML = ROOT / "mkdocs.yml"

# The pages' helpers (docs/_support) and scripts/ (the build and the audit),
# importable as the build makes them (scripts/build_site.py sets PYTHONPATH).
for _path in (SUPPORT, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from scripts.build_site import ENGINES, Build, build  # noqa: E402

__all__ = ["ENGINES", "Build", "build_site", "built_site", "code_blocks", "page_url", "pages"]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_NAV_ITEM = re.compile(r"^\s*-\s*(?:\"[^\"]*\"|'[^']*'|[^:]+):\s*(?P<page>[\w./-]+\.md)\s*$")


@dataclass(frozen=True)
class Block:
    """One executable code block of a page."""

    page: str
    line: int
    language: str
    options: dict[str, str]
    code: str

    @property
    def session(self) -> str | None:
        return self.options.get("session")


def pages() -> list[str]:
    """The pages listed in the nav of mkdocs.yml, in nav order (paths relative to docs/)."""
    in_nav = False
    out: list[str] = []
    for line in MKDOCS_YML.read_text(encoding="utf-8").splitlines():
        if line.startswith("nav:"):
            in_nav = True
            continue
        if in_nav:
            if line and not line.startswith((" ", "-")):
                break
            match = _NAV_ITEM.match(line)
            if match:
                out.append(match.group("page"))
    return out


def _options(info: str) -> tuple[str, dict[str, str]]:
    parts = shlex.split(info.strip())
    language = parts[0] if parts else ""
    options: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        options[key] = value
    return language, options


def code_blocks(page: str) -> list[Block]:
    """The page's blocks that markdown-exec executes (``exec="true"`` / ``exec="1"``)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line)
            i += 1
        i += 1
        language, options = _options(info)
        if options.get("exec", "").lower() in ("true", "1", "yes", "on"):
            blocks.append(Block(page, start + 1, language, options, "\n".join(body) + "\n"))
    return blocks


def page_url(page: str) -> str:
    """The page's URL with ``use_directory_urls`` (``"bias/"``), as the build computes it."""
    import common

    return str(common.page_url(page))


def run_page(page: str) -> list[str]:
    """Run a page's code blocks in order, as markdown-exec does; return their outputs.

    Blocks with the same ``session`` share globals; a block without one gets
    fresh globals. The page's inline macros (``[[badge:id]]``) are expanded
    too. Any exception propagates, with the page and line added to its notes.
    """
    import common

    common.set_page(page_url(page), page_src=page, source_links=False)
    sessions: dict[str, dict[str, object]] = {}
    outputs: list[str] = []
    cwd = os.getcwd()
    os.chdir(ROOT)  # mkdocs runs from the repository root
    try:
        for block in code_blocks(page):
            if block.language not in ("python", "py", "pycon"):
                raise AssertionError(f"{page}:{block.line}: unsupported exec language")
            if block.session:
                namespace = sessions.setdefault(block.session, {"__name__": "__main__"})
            else:
                namespace = {"__name__": "__main__"}
            buffer = io.StringIO()
            try:
                with contextlib.redirect_stdout(buffer):
                    exec(compile(block.code, f"<{page}:{block.line}>", "exec"), namespace)
            except BaseException as error:
                error.add_note(f"in the code block at {page}, line {block.line}")
                raise
            outputs.append(buffer.getvalue())
        outputs.append(common.expand_macros((DOCS / page).read_text(encoding="utf-8")))
    finally:
        os.chdir(cwd)
    return outputs


def build_site(
    site: Path,
    *,
    python_prelude: str = "",
    engine: str = "mkdocs",
    strict: bool = True,
    timeout: float = 1200.0,
) -> Build:
    """Build the site with ``engine`` into ``site``, as ``scripts/docs build`` does.

    ``python_prelude`` is Python run in the engine's process before it starts
    (e.g. to break a function of nbn on purpose); ``strict=False`` switches the
    engine's own strict mode off.
    """
    return build(engine, site, strict=strict, prelude=python_prelude, timeout=timeout)


@functools.lru_cache(maxsize=1)
def built_site() -> Build:
    """One strict MkDocs build of the site per test process, into a temporary directory.

    If ``NBN_SITE_DIR`` names a directory holding a built site (CI sets it to
    the ``site/`` that ``scripts/docs build`` just built and whose exit status
    it checked), that site is used instead of building again.
    """
    prebuilt = os.environ.get("NBN_SITE_DIR")
    if prebuilt:
        site = Path(prebuilt).resolve()
        if not (site / "index.html").is_file():
            raise FileNotFoundError(
                f"NBN_SITE_DIR={prebuilt!r} holds no built site (no index.html)"
            )
        return Build("prebuilt", site, 0, f"prebuilt site from NBN_SITE_DIR={prebuilt}", 0.0)
    import atexit
    import shutil

    tmp = Path(tempfile.mkdtemp(prefix="nbn-site-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return build_site(tmp / "site")
