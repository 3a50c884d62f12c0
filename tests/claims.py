"""A small ledger claim for the tests of the checking rule (``nbn.ledger.core``)."""

from __future__ import annotations

from nbn.ledger import Claim, Oracle


def make_claim(value: float, **overrides: object) -> Claim:
    """A claim computing ``value``, confirmed by a proof oracle, that the article
    prints as ``value`` to 3 decimals; ``overrides`` replace any field (for example
    ``article_value``)."""
    fields: dict[str, object] = {
        "id": "test-claim",
        "section": "Test",
        "statement": "A test.",
        "article_value": value,
        "decimals": 3,
        "inputs": "none",
        "compute": lambda: value,
        "oracles": (Oracle("proof", lambda: value, 1e-12),),
        "tolerance": 1e-12,
    }
    fields.update(overrides)
    return Claim(**fields)  # type: ignore[arg-type]
