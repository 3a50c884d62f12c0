"""Every claim, in article order, and the cached checks over them."""

from __future__ import annotations

import difflib

from . import (
    batch,
    bias,
    code,
    faq,
    feature_cross,
    gradients,
    hidden_layer,
    learning_rate,
    looped,
    single_neuron,
    xor,
)
from .core import Claim, ClaimResult, evaluate, ledger_cache

__all__ = ["CLAIMS", "check_all", "check_claim", "get_claim"]

#: Every claim of the article, in the article's order.
CLAIMS: tuple[Claim, ...] = (
    *single_neuron.CLAIMS,
    *bias.CLAIMS,
    *learning_rate.CLAIMS,
    *batch.CLAIMS,
    *looped.CLAIMS,
    *gradients.CLAIMS,
    *xor.CLAIMS,
    *feature_cross.CLAIMS,
    *hidden_layer.CLAIMS,
    *faq.CLAIMS,
    *code.CLAIMS,
)

_BY_ID: dict[str, Claim] = {claim.id: claim for claim in CLAIMS}
if len(_BY_ID) != len(CLAIMS):  # pragma: no cover - guards the table above
    raise RuntimeError("two claims share an id")


def get_claim(claim_id: str) -> Claim:
    """The claim with this id.

    Raises
    ------
    KeyError
        Unknown id; the message lists the closest known ids.
    """
    try:
        return _BY_ID[claim_id]
    except KeyError:
        close = difflib.get_close_matches(str(claim_id), list(_BY_ID), n=5, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(
            f"no claim with id {claim_id!r}{hint} (python -m nbn verify lists them all)"
        ) from None


@ledger_cache
def _check_by_id(claim_id: str) -> ClaimResult:
    return evaluate(get_claim(claim_id))


def check_claim(claim_or_id: Claim | str) -> ClaimResult:
    """Check one claim (cached per process: cheap to call many times).

    Parameters
    ----------
    claim_or_id : Claim or str
        A claim of :data:`CLAIMS` or its id.
    """
    claim_id = claim_or_id.id if isinstance(claim_or_id, Claim) else claim_or_id
    get_claim(claim_id)  # a clear KeyError for unknown ids
    return _check_by_id(claim_id)


def check_all() -> list[ClaimResult]:
    """Check every claim, in article order."""
    return [check_claim(claim) for claim in CLAIMS]
