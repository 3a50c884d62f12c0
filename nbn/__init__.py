"""nbn, "Nothing but NumPy": the layer library of the verified companion to the
article *Nothing but NumPy: Understanding & Creating Neural Networks with
Computational Graphs from Scratch* (Rafay Khan).

The names the article's Part II uses (``LinearLayer``, ``SigmoidLayer``,
``initialize_parameters``, ``compute_cost``) behave as in the article, so its
listings run with only their imports changed to ``from nbn import ...``.
"""

from __future__ import annotations

from . import datasets
from .accumulate import (
    accumulate_looped,
    accumulate_looped_2layer,
    gradients_vectorized,
    gradients_vectorized_2layer,
)
from .activation import ActivationLayer
from .costs import BCE_EPSILON, binary_cross_entropy, compute_cost
from .fast_step import gradients_fast, gradients_fast_2layer
from .gradcheck import FD_RTOL, FD_STEP, gradient_error, numerical_gradient
from .initializers import INI_TYPES, initialize_parameters
from .linear import LinearLayer
from .predict import predict
from .relu import ReLULayer
from .sequential import Sequential
from .sigmoid import SigmoidLayer, sigmoid
from .tanh import TanhLayer

__version__ = "0.1.0"

__all__ = [
    "BCE_EPSILON",
    "FD_RTOL",
    "FD_STEP",
    "INI_TYPES",
    "ActivationLayer",
    "LinearLayer",
    "ReLULayer",
    "Sequential",
    "SigmoidLayer",
    "TanhLayer",
    "__version__",
    "accumulate_looped",
    "accumulate_looped_2layer",
    "binary_cross_entropy",
    "compute_cost",
    "datasets",
    "gradient_error",
    "gradients_fast",
    "gradients_fast_2layer",
    "gradients_vectorized",
    "gradients_vectorized_2layer",
    "initialize_parameters",
    "numerical_gradient",
    "predict",
    "sigmoid",
]
