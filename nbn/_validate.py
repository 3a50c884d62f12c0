"""Input checks shared by every public entry point.

Every check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected and shows what was given. The checks are kept
cheap: the common case (a finite float64 ndarray of the right shape) costs a few
attribute lookups and one reduction, so that a 5000-epoch toy run is not slowed
down noticeably (see ``docs/performance.md``).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "as_matrix",
    "check_finite",
    "check_learning_rate",
    "check_positive_int",
    "check_shape_pair",
    "describe",
    "is_finite",
]

FloatArray = NDArray[np.float64]


def describe(value: object) -> str:
    """Return a short, human description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as ``int`` if it is a positive integer, else raise.

    Booleans are rejected (``True`` is an ``int`` in Python but never a layer size).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {describe(value)}")
    if int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {int(value)}")
    return int(value)


def check_shape_pair(value: object, name: str) -> tuple[int, int]:
    """Return ``value`` as ``(rows, columns)`` if it is a pair of positive integers."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(
            f"{name} must be a pair (rows, columns) of positive integers, got {describe(value)}"
        )
    rows = check_positive_int(value[0], f"{name}[0]")
    cols = check_positive_int(value[1], f"{name}[1]")
    return rows, cols


def check_learning_rate(value: object, name: str = "learning_rate") -> float:
    """Return ``value`` as ``float`` if it is a finite, strictly positive number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a finite positive number, got {describe(value)}")
    rate = float(value)
    if not math.isfinite(rate) or rate <= 0.0:
        raise ValueError(f"{name} must be a finite positive number, got {rate!r}")
    return rate


def _convert(value: Any, name: str) -> FloatArray:
    """Slow path of ``as_matrix``: convert anything array-like to float64."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a 2-D array of numbers, got {describe(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists, odd objects
        raise TypeError(
            f"{name} must be a 2-D array of numbers, got {describe(value)} ({error})"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a 2-D array of numbers (bool, int or float), "
            f"got an array of dtype {array.dtype}"
        )
    return array.astype(np.float64, copy=False)


_FLOAT64 = np.dtype(np.float64)
#: Up to this many entries, summing a Python list is cheaper than a NumPy reduction.
_SMALL = 64


def as_matrix(
    value: Any,
    name: str,
    rows: int | None = None,
    cols: int | None = None,
    finite: bool = True,
) -> FloatArray:
    """Return ``value`` as a finite float64 matrix, or raise a clear error.

    Parameters
    ----------
    value : array_like of shape (rows, cols)
        Numbers: bool, integer or float. Integer input is converted to float64.
    name : str
        The argument's name, used in error messages.
    rows, cols : int, optional
        Required number of rows / columns; ``None`` accepts any positive number.
    finite : bool, default True
        Check for NaN and infinity. Callers that reduce the array anyway (a cost
        sums it, a linear layer's ``db`` sums the upstream gradient) pass False and
        call ``check_finite`` only when that result is not finite.

    Returns
    -------
    ndarray of shape (rows, cols), dtype float64
        ``value`` itself when it already is a float64 ndarray (no copy).

    Raises
    ------
    TypeError
        ``None``, strings, object or string arrays, ragged lists.
    ValueError
        Wrong number of dimensions, wrong shape, an empty batch, NaN or infinity.

    Notes
    -----
    This runs on every ``forward``, ``backward`` and cost call, so the common case
    is kept to a few attribute lookups and one sum: the sum of finite numbers is
    finite unless it overflows, and only then is the element-wise test paid for.
    """
    # The common case first: a float64 ndarray passes through untouched. NumPy's
    # float64 dtype is one shared object, so `is` is exact; an equal dtype that is
    # another object (rare) takes the slow path, which returns it uncopied.
    array: FloatArray = value
    if type(value) is not np.ndarray or value.dtype is not _FLOAT64:
        array = _convert(value, name)
    shape = array.shape
    if (
        len(shape) != 2
        or not array.size
        or (rows is not None and shape[0] != rows)
        or (cols is not None and shape[1] != cols)
    ):
        _raise_shape_error(name, shape, rows, cols)
    if finite and not is_finite(array):
        _raise_not_finite(array, name)
    return array


def is_finite(array: FloatArray) -> bool:
    """True if ``array`` holds no NaN and no infinity (cheap for small arrays)."""
    # A sum of finite numbers is finite unless it overflows, and a NaN or infinity
    # in any entry makes it NaN or infinite: the sum decides, and only a sum that is
    # not finite pays for the element-wise test. For a few entries, a Python sum is
    # cheaper than a NumPy call.
    total = sum(array.ravel().tolist()) if array.size <= _SMALL else array.sum()
    return math.isfinite(total) or bool(np.isfinite(array).all())


def check_finite(array: FloatArray, name: str) -> None:
    """Raise ``ValueError`` naming ``name`` if ``array`` holds NaN or infinity."""
    if not is_finite(array):
        _raise_not_finite(array, name)


def _raise_not_finite(array: FloatArray, name: str) -> None:
    """Raise the ``ValueError`` that says which kind of non-finite value ``array`` holds."""
    bad = "NaN" if np.isnan(array).any() else "infinity"
    raise ValueError(f"{name} must contain only finite numbers, got {bad} in shape {array.shape}")


def _raise_shape_error(
    name: str, shape: tuple[int, ...], rows: int | None, cols: int | None
) -> None:
    """Raise the ``ValueError`` that explains why ``shape`` is not acceptable."""
    if len(shape) != 2:
        raise ValueError(f"{name} must be 2-D (features x examples), got an array of shape {shape}")
    if rows is not None and shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows (one per input feature), got shape {shape}")
    if cols is not None and shape[1] != cols:
        raise ValueError(f"{name} must have {cols} columns (one per example), got shape {shape}")
    raise ValueError(f"{name} must not be empty (m = 0 examples), got shape {shape}")
