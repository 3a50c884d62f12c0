"""The ledger catches a broken library: with a wrong sigmoid derivative or a wrong
bias gradient monkeypatched in, the relevant claims fail, the ledger's pytest test
for them fails, and ``nbn verify`` exits non-zero.

The command line runs in-process (``nbn.cli.main``) so that the monkeypatch is
active; the ledger's cache is emptied before and after each test so that nothing
computed with the broken library leaks into other tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest
import test_ledger

from nbn import cli
from nbn.activation import ActivationLayer
from nbn.ledger import check_claim, clear_cache, get_claim
from nbn.linear import LinearLayer
from nbn.sigmoid import SigmoidLayer

pytest.importorskip("sympy")

Array = np.ndarray


@pytest.fixture(autouse=True)
def _fresh_ledger() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


#: Plausible bugs in the sigmoid's local gradient.
BROKEN_SIGMOID: dict[str, Callable[[Array, Array], Array]] = {
    "uses Z instead of A": lambda Z, A: Z * (1.0 - Z),
    "forgets the factor A": lambda Z, A: 1.0 - A,
    "sign flipped": lambda Z, A: -A * (1.0 - A),
}

#: Claims that go through the sigmoid's backward pass.
SIGMOID_CLAIMS = (
    "sigmoid-derivative",
    "bias-gradient",
    "batch-or-first-gradients",
    "batch-or-second-gradients",
    "feature-cross-first-gradients",
    "hidden-first-gradients",
)


@pytest.mark.parametrize("bug", list(BROKEN_SIGMOID))
def test_broken_sigmoid_derivative_fails_claims_tests_and_cli(
    bug: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(SigmoidLayer, "local_grad", staticmethod(BROKEN_SIGMOID[bug]))
    for claim_id in SIGMOID_CLAIMS:
        result = check_claim(claim_id)
        assert not result.passed, claim_id
        with pytest.raises(AssertionError):
            test_ledger.test_claim(get_claim(claim_id))
    # claims that never differentiate the sigmoid still pass
    assert check_claim("or-single-loss").passed
    assert check_claim("lr-steps-shrink").passed
    args = ["verify", *(f"--claim={claim_id}" for claim_id in SIGMOID_CLAIMS)]
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL") == len(SIGMOID_CLAIMS)
    assert f"{len(SIGMOID_CLAIMS)} failed" in out


def _bias_bug(scale: Callable[[Array, int], Array]) -> Callable[[LinearLayer, Array], Array]:
    """LinearLayer.backward with db replaced by ``scale(db, m)``."""
    original = LinearLayer.backward

    def backward(self: LinearLayer, upstream_grad: Array) -> Array:
        result = original(self, upstream_grad)
        assert self.db is not None
        self.db = scale(self.db, self.m)
        return result

    return backward


#: Plausible bugs in the bias gradient.
BROKEN_BIAS: dict[str, Callable[[Array, int], Array]] = {
    # averaging instead of summing: right for one example, wrong for a batch
    "mean instead of sum": lambda db, m: db / m,
    "dropped": lambda db, m: np.zeros_like(db),
}

#: Claims about the bias gradient over a batch (where the mean-vs-sum bug shows).
BIAS_CLAIMS = (
    "batch-or-first-gradients",
    "batch-or-second-gradients",
    "db-is-sum-of-upstream",
    "feature-cross-first-gradients",
)


@pytest.mark.parametrize("bug", list(BROKEN_BIAS))
def test_broken_bias_gradient_fails_claims_tests_and_cli(
    bug: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(LinearLayer, "backward", _bias_bug(BROKEN_BIAS[bug]))
    for claim_id in BIAS_CLAIMS:
        assert not check_claim(claim_id).passed, claim_id
        with pytest.raises(AssertionError):
            test_ledger.test_claim(get_claim(claim_id))
    single_example = check_claim("bias-gradient")
    # one example: the mean of one gradient is the gradient, so only "dropped" shows here
    assert single_example.passed is (bug == "mean instead of sum")
    assert check_claim("sigmoid-derivative").passed
    assert cli.main(["verify", *(f"--claim={claim_id}" for claim_id in BIAS_CLAIMS)]) == 1
    assert capsys.readouterr().out.count("FAIL") == len(BIAS_CLAIMS)


@pytest.mark.slow
def test_whole_verify_run_fails_with_a_broken_activation_backward(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The full ``nbn verify`` (every claim, ~5 s) exits 1 and counts the failures,
    among them the article's printed costs."""
    monkeypatch.setattr(
        ActivationLayer, "backward", lambda self, upstream_grad: np.zeros_like(upstream_grad)
    )
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("FAIL   code-printed-costs") for line in out.splitlines())
    summary = out.splitlines()[-1]
    failed = int(summary.split(" failed")[0].rsplit(" ", 1)[-1])
    assert failed >= 10, summary
