"""nndl_backprop: chapter 2 of Nielsen's *Neural Networks and Deep Learning* in numpy.

Numbering: functions that take a layer or a neuron use the BOOK's numbering (layers
l = 2 … L, layer 1 being the input; neurons counted from 1). Raw arrays such as
``net.weights[i][j, k]`` stay 0-based: ``net.weights[l - 2][j - 1, k - 1]`` is w^l_jk.
"""

from .activations import ACTIVATIONS, Activation, NeuronwiseActivation, get_activation
from .costs import COSTS, Cost, CrossEntropyCost, QuadraticCost, get_cost
from .demon import DemonResult, demon
from .diagnose import Diagnosis, diagnose, elementwise_relative_error
from .equations import (
    bp1,
    bp1_matrix,
    bp2,
    bp2_matrix,
    bp3,
    bp4,
    delta_product,
    sigma_prime_matrix,
)
from .gradcheck import (
    NumericalGradient,
    check_gradients,
    numerical_deltas,
    numerical_derivative,
    numerical_gradient,
    relative_error,
)
from .loop import gradient_by_loop, update_mini_batch_loop
from .network import Network
from .paths import Path, PathSum, count_paths, enumerate_paths, path_sum
from .precision import gradient_tolerance
from .training import History, evaluate, one_hot, stack_examples

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Activation",
    "Cost",
    "CrossEntropyCost",
    "DemonResult",
    "Diagnosis",
    "History",
    "Network",
    "NeuronwiseActivation",
    "NumericalGradient",
    "Path",
    "PathSum",
    "QuadraticCost",
    "bp1",
    "bp1_matrix",
    "bp2",
    "bp2_matrix",
    "bp3",
    "bp4",
    "check_gradients",
    "count_paths",
    "delta_product",
    "demon",
    "diagnose",
    "elementwise_relative_error",
    "enumerate_paths",
    "evaluate",
    "get_activation",
    "get_cost",
    "gradient_by_loop",
    "gradient_tolerance",
    "numerical_deltas",
    "numerical_derivative",
    "numerical_gradient",
    "one_hot",
    "path_sum",
    "relative_error",
    "sigma_prime_matrix",
    "stack_examples",
    "update_mini_batch_loop",
]

__version__ = "0.1.0"
