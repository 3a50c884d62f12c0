"""The article's toy data sets, in its layout: ``X`` is features x examples and
``Y`` is 1 x examples. Arrays are integers, as in the article; the layers convert.

The four examples are always in the order (0, 0), (0, 1), (1, 0), (1, 1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["and_gate", "or_gate", "xor_feature_cross", "xor_gate"]

IntArray = NDArray[np.int64]


def _inputs() -> IntArray:
    """ndarray of shape (2, 4): the four corners of the unit square, as columns."""
    return np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=np.int64)


def or_gate() -> tuple[IntArray, IntArray]:
    """OR: ``y = 1`` if either input is 1. Returns X (2, 4) and Y (1, 4)."""
    return _inputs(), np.array([[0, 1, 1, 1]], dtype=np.int64)


def and_gate() -> tuple[IntArray, IntArray]:
    """AND: ``y = 1`` only if both inputs are 1. Returns X (2, 4) and Y (1, 4)."""
    return _inputs(), np.array([[0, 0, 0, 1]], dtype=np.int64)


def xor_gate() -> tuple[IntArray, IntArray]:
    """XOR: ``y = 1`` if exactly one input is 1. Returns X (2, 4) and Y (1, 4)."""
    return _inputs(), np.array([[0, 1, 1, 0]], dtype=np.int64)


def xor_feature_cross() -> tuple[IntArray, IntArray]:
    """XOR with the feature cross ``x3 = x1 * x2`` as a third row.

    Returns X (3, 4) and Y (1, 4).
    """
    X, Y = xor_gate()
    return np.vstack([X, X[0] * X[1]]), Y
