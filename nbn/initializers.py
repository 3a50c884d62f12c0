"""Weight initialisation: ``initialize_parameters``.

The article's Part II names three schemes. Each draws ``W`` from a standard
normal distribution and scales it; ``b`` always starts at zero:

=========  ==============================  ===================================
name       scale of ``W``                  what it is in the literature
=========  ==============================  ===================================
plain      ``* 0.01``                      small random numbers
xavier     ``/ sqrt(n_in)``                LeCun's scaling (see the errata)
glorot     ``* sqrt(2 / (n_in + n_out))``  Glorot & Bengio's normal variant
he         ``* sqrt(2 / n_in)``            He et al.
=========  ==============================  ===================================

What the article (and its notebooks) call "xavier" divides by ``sqrt(n_in)``:
that is LeCun's scaling, not Glorot's. We keep the article's behaviour under
the article's name so that its printed costs are reproduced, and offer Glorot's
scaling under its own name, ``"glorot"``.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import FloatArray, check_positive_int, describe

__all__ = ["INI_TYPES", "initialize_parameters"]

#: Valid values of ``ini_type``.
INI_TYPES: tuple[str, ...] = ("plain", "xavier", "glorot", "he")


def _scale(ini_type: str, n_in: int, n_out: int) -> float | None:
    """Multiplier applied to standard-normal draws; ``None`` means divide by sqrt(n_in)."""
    if ini_type == "plain":
        return 0.01
    if ini_type == "xavier":
        return None
    if ini_type == "glorot":
        return math.sqrt(2.0 / (n_in + n_out))
    return math.sqrt(2.0 / n_in)  # "he"


def initialize_parameters(
    n_in: int,
    n_out: int,
    ini_type: str = "plain",
    *,
    rng: np.random.Generator | None = None,
) -> dict[str, FloatArray]:
    """Create the weights and bias of one linear layer.

    Parameters
    ----------
    n_in : int
        Number of inputs to the layer (rows of the incoming activations).
    n_out : int
        Number of neurons in the layer.
    ini_type : {"plain", "xavier", "glorot", "he"}, default "plain"
        Scaling of the standard-normal draws: ``"plain"`` multiplies them by
        0.01; ``"xavier"`` divides them by ``sqrt(n_in)`` (the article's name;
        the scaling is LeCun's); ``"glorot"`` multiplies by
        ``sqrt(2 / (n_in + n_out))`` (Glorot and Bengio's normal variant);
        ``"he"`` multiplies by ``sqrt(2 / n_in)``.
    rng : numpy.random.Generator, optional
        Source of randomness. When omitted, NumPy's global legacy generator
        (``np.random.randn``) is used, ``W`` first, so that ``np.random.seed(48)``
        reproduces the article's notebooks exactly.

    Returns
    -------
    dict
        ``"W"``: ndarray of shape (n_out, n_in); ``"b"``: zeros of shape (n_out, 1).

    Raises
    ------
    TypeError, ValueError
        ``n_in`` or ``n_out`` not a positive integer, ``ini_type`` unknown, or
        ``rng`` not a ``numpy.random.Generator``.
    """
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    if not isinstance(ini_type, str) or ini_type not in INI_TYPES:
        raise ValueError(
            f"ini_type must be one of {', '.join(repr(t) for t in INI_TYPES)}, "
            f"got {describe(ini_type)}"
        )
    if rng is None:
        # The global legacy generator, on purpose: the article seeds it with 48.
        draws: FloatArray = np.random.randn(n_out, n_in)  # noqa: NPY002
    elif isinstance(rng, np.random.Generator):
        draws = rng.standard_normal((n_out, n_in))
    else:
        raise TypeError(f"rng must be a numpy.random.Generator or None, got {describe(rng)}")
    scale = _scale(ini_type, n_in, n_out)
    # The article's notebooks divide by sqrt(n_in) for "xavier"; multiplying by
    # 1/sqrt(n_in) would differ in the last bit, so we divide too.
    W = draws / np.sqrt(n_in) if scale is None else draws * scale
    return {"W": W, "b": np.zeros((n_out, 1))}
