"""Central finite differences, to check any analytic gradient against.

``numerical_gradient(f, x)`` perturbs each entry of ``x`` by ``+-h`` and returns
``(f(x + h e_i) - f(x - h e_i)) / (2h)``. In float64 with ``h = 1e-6`` the error
is O(h^2) from truncation plus O(eps / h) ~ 1e-10 from rounding, so a correct
analytic gradient agrees to a relative 1e-6 (our stated tolerance).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import FloatArray

__all__ = ["FD_RTOL", "FD_STEP", "gradient_error", "numerical_gradient"]

#: Step of the central difference.
FD_STEP = 1e-6
#: Relative tolerance for analytic vs finite-difference gradients.
FD_RTOL = 1e-6


def numerical_gradient(
    f: Callable[[FloatArray], float], x: FloatArray, h: float = FD_STEP
) -> FloatArray:
    """Central-difference gradient of a scalar function of an array.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It is called ``2 * x.size`` times; ``x`` is restored after.
    x : ndarray of any shape, float64
        The point; perturbed in place during the computation.
    h : float, default 1e-6

    Returns
    -------
    ndarray of the shape of ``x``
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 ndarray (it is perturbed in place)")
    grad = np.zeros_like(x)
    flat_x = x.reshape(-1)
    flat_g = grad.reshape(-1)
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + h
        f_plus = f(x)
        flat_x[i] = saved - h
        f_minus = f(x)
        flat_x[i] = saved
        flat_g[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def gradient_error(analytic: FloatArray, numeric: FloatArray, floor: float = 1e-8) -> float:
    """Largest relative difference ``|a - n| / max(|a|, |n|, floor)``, element-wise.

    The ``floor`` keeps gradients that are (near) zero from dividing by zero: there
    the comparison is effectively absolute at the 1e-8 level.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have one shape, got {a.shape} and {n.shape}")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
    return float(np.max(np.abs(a - n) / scale)) if a.size else 0.0
