"""A wrong number in nbn fails the docs: the pages' blocks raise, the build fails.

The issue's "done when": breaking the sigmoid derivative or the bias gradient
in ``nbn`` makes the build fail. The fast tests break the library in this
process and run one page's blocks (as the build would); the slow tests run the
real ``mkdocs build --strict`` in a subprocess with the library broken the same
way, and check its exit status and message. The unbroken build passing is
checked by the offline test, which shares its build.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docs_pages import build_site, run_page

import nbn
import nbn.ledger as ledger

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
