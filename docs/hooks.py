"""MkDocs hooks of the nbn site (declared under ``hooks:`` in ``mkdocs.yml``).

* ``on_startup`` / ``on_config``: put ``docs/_support`` on ``sys.path`` so the
  pages' code blocks can ``from common import badge``.
* ``on_page_markdown``: expand the inline claim macros ``[[value:claim-id]]`` and
  ``[[badge:claim-id]]`` (see ``docs/_support/common.py``). A claim that fails
  its check raises here, which aborts the build.
* ``on_post_build``: copy MathJax (from the ``django-static-mathjax`` package)
  into the built site, so that math renders with no network access.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

SUPPORT = Path(__file__).resolve().parent / "_support"

#: The MathJax bundle the pages load (``extra_javascript`` in mkdocs.yml). The
#: "-full" build includes every TeX extension, so it never fetches more files.
MATHJAX_BUNDLE = "tex-svg-full.js"
MATHJAX_TARGET = Path("assets") / "mathjax" / MATHJAX_BUNDLE


def _add_support_path() -> None:
    path = str(SUPPORT)
    if path not in sys.path:
        sys.path.insert(0, path)


_add_support_path()


def mathjax_source() -> Path:
    """Path of MathJax's ``tex-svg-full.js`` inside the installed django-static-mathjax."""
    try:
        import mathjax  # the django-static-mathjax distribution
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "the docs need the package django-static-mathjax (pip install -e '.[docs]')"
        ) from exc
    source = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    source = source / MATHJAX_BUNDLE
    if not source.is_file():
        raise RuntimeError(f"MathJax bundle not found at {source}")
    return source


def on_startup(**kwargs: Any) -> None:
    _add_support_path()


def on_config(config: Any, **kwargs: Any) -> Any:
    _add_support_path()
    mathjax_source()  # fail early, before rendering any page, if MathJax is missing
    return config


def on_page_markdown(markdown: str, page: Any, files: Any, **kwargs: Any) -> str:
    import common
    from mkdocs.exceptions import PluginError

    errata = files.get_file_from_path("errata.md")
    common.set_page(page.url, errata.url if errata is not None else None)
    try:
        return str(common.expand_macros(markdown))
    except Exception as error:  # a failing claim (or an unknown id) stops the build here
        raise PluginError(
            f"{page.file.src_uri}: an inline claim could not be shown: "
            f"{type(error).__name__}: {error}"
        ) from error


def on_post_build(config: Any, **kwargs: Any) -> None:
    target = Path(config["site_dir"]) / MATHJAX_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(mathjax_source(), target)
