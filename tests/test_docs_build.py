"""A wrong number in nbn fails the docs: the pages' blocks raise, the build fails.

Breaking the sigmoid derivative or the bias gradient in ``nbn`` makes the
build fail. The fast tests break the library in this process and run one
page's blocks (as the build would). The slow tests run real builds in a
subprocess with the library broken the same way:

* ``mkdocs build --strict`` fails, for the right reason;
* with each engine (MkDocs, Zensical) and the engine's own strict mode OFF,
  the post-build audit (``scripts/audit_site.py``) still reports the break,
  whatever the engine's exit status. A third break (the graph engine's drawing
  raises) touches no claim, only code blocks: both engines then publish the
  traceback and exit 0, and only the audit stops it.

The unbroken builds passing the audit is checked by ``scripts/docs build``
(in ``.ci/run``, for both engines) and by the offline test.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import pytest
from docs_pages import DOCS, ENGINES, MKDOCS_YML, ROOT, SUPPORT, build_site, run_page

import nbn
import nbn.ledger as ledger
from scripts.audit_site import audit, format_report
from scripts.build_site import (
    ZENSICAL_SITE,
    engine_env,
    install_mathjax,
    mathjax_source,
    zensical_config_text,
)

BREAK_SIGMOID_DERIVATIVE = """
import nbn
# wrong on purpose: sigma * (1 + sigma) instead of sigma * (1 - sigma)
nbn.SigmoidLayer.local_grad = staticmethod(lambda Z, A: A * (1.0 + A))
"""

BREAK_BIAS_GRADIENT = """
import nbn
_backward = nbn.LinearLayer.backward
def _broken(self, upstream_grad):
    out = _backward(self, upstream_grad)
    self.db = 0.5 * self.db  # wrong on purpose: half the bias gradient
    return out
nbn.LinearLayer.backward = _broken
"""

BREAK_GRAPH_DRAWING = """
import nbn.graph.render as render
def _broken(*args, **kwargs):
    raise RuntimeError("the graph drawing is broken on purpose")
render.to_svg = _broken
render.figure = _broken
"""


@pytest.fixture
def fresh_ledger() -> Iterator[None]:
    """Empty the ledger's caches before and after, so checks see the patched library."""
    ledger.clear_cache()
    yield
    ledger.clear_cache()


def _break_sigmoid_derivative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nbn.SigmoidLayer, "local_grad", staticmethod(lambda Z, A: A * (1.0 + A)))


def _break_bias_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    original = nbn.LinearLayer.backward

    def broken(self: nbn.LinearLayer, upstream_grad: object) -> object:
        out = original(self, upstream_grad)  # type: ignore[arg-type]
        self.db = 0.5 * self.db  # type: ignore[operator]
        return out

    monkeypatch.setattr(nbn.LinearLayer, "backward", broken)


def test_loss_page_runs_with_the_real_library(fresh_ledger: None) -> None:
    assert run_page("loss.md")


def test_broken_sigmoid_derivative_fails_the_loss_page(
    fresh_ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_sigmoid_derivative(monkeypatch)
    with pytest.raises(Exception, match=r"(?i)sigmoid|local_grad|claim"):
        run_page("loss.md")


def test_broken_sigmoid_derivative_fails_the_backprop_page(
    fresh_ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_sigmoid_derivative(monkeypatch)
    with pytest.raises(Exception, match=r"(?i)claim|graph engine"):
        run_page("backprop.md")


def test_broken_bias_gradient_fails_the_bias_page(
    fresh_ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_bias_gradient(monkeypatch)
    with pytest.raises(Exception, match=r"(?i)claim|graph engine"):
        run_page("bias.md")


def test_zensical_builds_from_mkdocs_yml_with_its_site_dir_and_strictness() -> None:
    text = MKDOCS_YML.read_text(encoding="utf-8")
    assert re.search(r"^strict: true$", text, re.M)
    config = zensical_config_text(text, strict=False)
    assert re.search(r"^strict: false$", config, re.M)
    assert re.search(rf"^site_dir: {re.escape(ZENSICAL_SITE)}$", config, re.M)
    assert len(config.splitlines()) == len(text.splitlines())  # nothing else changed
    assert "site_dir: .nbn-zensical-site" in zensical_config_text("site_name: x", strict=True)


def test_the_engines_process_can_import_the_pages_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    paths = engine_env()["PYTHONPATH"].split(os.pathsep)
    assert paths == [str(SUPPORT), "/elsewhere"]


def test_an_unknown_engine_is_refused_naming_the_choices() -> None:
    with pytest.raises(
        ValueError, match=r"engine must be one of \('mkdocs', 'zensical'\), got 'sphinx'"
    ):
        build_site(ROOT / "never-built", engine="sphinx")
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "docs"), "build", "--engine", "sphinx"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 2
    assert "--engine must be mkdocs or zensical, got 'sphinx'" in run.stderr


def test_mathjax_is_put_among_the_pages_assets_before_a_build() -> None:
    target = install_mathjax()
    assert target == DOCS / "assets" / "mathjax" / "tex-svg-full.js"
    assert target.read_bytes() == mathjax_source().read_bytes()
    assert target.stat().st_size > 1_000_000


@pytest.mark.slow
@pytest.mark.parametrize(
    "prelude",
    [
        pytest.param(BREAK_SIGMOID_DERIVATIVE, id="sigmoid-derivative"),
        pytest.param(BREAK_BIAS_GRADIENT, id="bias-gradient"),
    ],
)
def test_strict_build_fails_when_the_library_is_broken(prelude: str, tmp_path: object) -> None:
    from pathlib import Path

    build = build_site(Path(str(tmp_path)) / "site", python_prelude=prelude)
    assert build.returncode != 0, "the build passed with a broken library"
    # It failed for the right reason: a page refused to show a claim that failed its check.
    assert "failed its check" in build.output, build.output[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("prelude", "caught_by"),
    [
        # A failing claim stops the page's conversion (the Markdown extension
        # raises): the page is missing, or its blocks show tracebacks.
        pytest.param(
            BREAK_SIGMOID_DERIVATIVE,
            {"nav-page", "failed-block", "macro", "badge-status"},
            id="sigmoid-derivative",
        ),
        pytest.param(
            BREAK_BIAS_GRADIENT,
            {"nav-page", "failed-block", "macro", "badge-status"},
            id="bias-gradient",
        ),
        # No claim fails: only the blocks that draw graphs raise.
        pytest.param(BREAK_GRAPH_DRAWING, {"failed-block"}, id="graph-drawing"),
    ],
)
def test_audit_catches_a_broken_library_with_the_engines_strict_mode_off(
    engine: str, prelude: str, caught_by: set[str], tmp_path: object
) -> None:
    from pathlib import Path

    build = build_site(
        Path(str(tmp_path)) / "site", python_prelude=prelude, engine=engine, strict=False
    )
    problems = audit(build.site, MKDOCS_YML)
    report = format_report(problems, build.site)
    assert problems, f"{engine} (exit {build.returncode}): the audit passed a broken library"
    assert caught_by & {p.rule for p in problems}, report[:3000]
