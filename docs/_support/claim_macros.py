"""Python-Markdown extension of the nbn site: the inline claim macros, for any engine.

Listed under ``markdown_extensions`` in ``mkdocs.yml`` (as ``claim_macros``;
``scripts/docs`` puts ``docs/_support`` on ``PYTHONPATH``). Both engines that
build the site, MkDocs and Zensical, run Python-Markdown extensions, so what
this module does happens whichever engine builds:

* a preprocessor expands ``[[badge:id]]``, ``[[check:id]]`` and ``[[value:id]]``
  in the page text (not in code) with :func:`common.expand_macros`. A claim
  that fails its check, or an unknown id, raises :class:`ClaimMacroError`
  naming the page: the page is not converted;
* it expands ``[[sources]]`` into the line that links the article and its
  code repository (:func:`sources.sources_line`);
* the same preprocessor turns reStructuredText roles (``:func:`name```) into
  Markdown code (```name()```): mkdocstrings renders nbn's NumPy docstrings,
  written for Sphinx as much as for this site, through the same extensions;
* it tells :mod:`common` which page is being converted, read from the engine
  (MkDocs' link processor knows the page's file, Zensical's rendering context
  its page), so that badges link to the claims index with relative links.
  MkDocs leaves links in raw HTML as written (badges are written relative to
  the page's URL); Zensical rewrites every relative link of the page as if
  it were written in the Markdown source (badges link to ``errata.md``);
* with MkDocs, in the Markdown that code blocks print (markdown-exec converts
  it with an inner Markdown instance that has no engine link processor), a
  link to a page's source (``[gradients](gradients.md)``) becomes the page's
  URL relative to the page being built, as MkDocs does in the page's own text.

The page is kept in :data:`common.CONTEXT` while it converts, for the code
blocks' badges: both engines convert one page at a time (Zensical 0.0.73 calls
Python-Markdown from a single thread), and each page sets it afresh.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element

import common
import sources
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

#: A Sphinx role with its target: ``:func:`~nbn.sigmoid```, ``:py:meth:`fit```.
REST_ROLE = re.compile(
    r"(?<![\w`]):(?:py:)?(?P<role>func|meth|class|mod|attr|exc|obj|data|const):"
    r"`(?P<tilde>~?)(?P<target>[^`\s]+)`"
)


def rest_roles_to_markdown(text: str) -> str:
    """Replace reST roles by Markdown code spans, as Sphinx would show them.

    ``:func:`nbn.sigmoid``` -> ```nbn.sigmoid()```, ``:class:`~nbn.LinearLayer```
    -> ```LinearLayer``` (a ``~`` keeps only the last component).
    """

    def _replace(match: re.Match[str]) -> str:
        target = match.group("target")
        if match.group("tilde"):
            target = target.rsplit(".", 1)[-1]
        if match.group("role") in ("func", "meth") and not target.endswith(")"):
            target += "()"
        return f"`{target}`"

    return REST_ROLE.sub(_replace, text)


class ClaimMacroError(RuntimeError):
    """An inline claim macro of a page could not be shown (failed claim, unknown id)."""


def page_of(md: Markdown) -> tuple[str, str, bool] | None:
    """``(source path, site URL, Zensical?)`` of the page ``md`` converts, as the engine says.

    MkDocs registers its link processor (``relpath``) with the page's ``File``;
    Zensical registers a rendering-context preprocessor holding the ``Page``.
    ``None`` in a Markdown instance of neither (markdown-exec's inner ones in
    MkDocs, or a plain conversion).
    """
    if "relpath" in md.treeprocessors:
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if file is not None:
            return str(file.src_uri), str(file.url), False
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        if page is not None and hasattr(page, "path") and hasattr(page, "url"):
            return str(page.path), str(page.url).lstrip("/"), True
    return None


class _MacroPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        page = page_of(self.md)
        if page is not None:
            src, url, zensical = page
            common.set_page(url, page_src=src, source_links=zensical)
        try:
            text = common.expand_macros("\n".join(lines))
        except Exception as error:
            raise ClaimMacroError(
                f"{common.CONTEXT.page_src or 'a page'}: an inline claim could not be shown: "
                f"{type(error).__name__}: {error}"
            ) from error
        text = common.map_prose(text, sources.expand_sources, code_spans=False)
        return common.map_prose(text, rest_roles_to_markdown).split("\n")


class _BlockLinkTreeprocessor(Treeprocessor):
    """Rewrite ``*.md`` links in markdown-exec's output to the pages' URLs."""

    def run(self, root: Element) -> None:
        if getattr(self.md, "_original_md", None) is None:
            return  # the page's own text: the engine rewrites (and validates) its links
        if common.CONTEXT.source_links:
            return  # Zensical rewrites the links of the whole HTML page itself
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", source_link_to_url(href))


def source_link_to_url(href: str) -> str:
    """A link to a page's source (``bias.md#x``) as a URL relative to the current page.

    Links with a scheme or a host, root-absolute links, anchors alone and links
    to anything but a ``.md`` file are returned as they are.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return href
    if parts.path.startswith("/"):
        return href
    here = posixpath.dirname(common.CONTEXT.page_src)
    target = posixpath.normpath(posixpath.join(here, parts.path))
    relative = common.relative_url(common.page_url(target), common.CONTEXT.page_url)
    return urlunsplit(("", "", relative or "./", parts.query, parts.fragment))


class ClaimMacroExtension(Extension):
    """Register the macro preprocessor and the block-link treeprocessor."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Priority 40: before whitespace normalisation (30) and the fences (25).
        md.preprocessors.register(_MacroPreprocessor(md), "nbn_claim_macros", 40)
        # Priority 1: after the inline patterns, before MkDocs' relpath (0).
        md.treeprocessors.register(_BlockLinkTreeprocessor(md), "nbn_block_links", 1)


def makeExtension(**kwargs: Any) -> ClaimMacroExtension:
    """Entry point Python-Markdown calls for ``markdown_extensions: [claim_macros]``."""
    return ClaimMacroExtension(**kwargs)
