"""The article ledger: every number and checkable statement of the article as a
:class:`Claim`, computed with nbn and confirmed by independent oracles (SymPy,
finite differences, the scalar graph engine, proofs, reference implementations).

The ledger is the single source of truth for the article's numbers: the tests,
``python -m nbn verify`` and the docs site all read it.

Examples
--------
>>> from nbn.ledger import check_claim
>>> result = check_claim("or-single-loss")
>>> result.passed, result.computed
(True, 0.125)
"""

from __future__ import annotations

from .core import (
    DISCREPANCY_KINDS,
    KIND_TEXT,
    ORACLE_NAMES,
    Claim,
    ClaimResult,
    Oracle,
    clear_cache,
    format_value,
)
from .registry import CLAIMS, check_all, check_claim, get_claim

__all__ = [
    "CLAIMS",
    "DISCREPANCY_KINDS",
    "KIND_TEXT",
    "ORACLE_NAMES",
    "Claim",
    "ClaimResult",
    "Oracle",
    "check_all",
    "check_claim",
    "clear_cache",
    "format_value",
    "get_claim",
]
