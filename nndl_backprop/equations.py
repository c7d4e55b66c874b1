"""The four fundamental equations of backpropagation, BP1–BP4, one small function each.

Shapes: a layer with n neurons holds column vectors of shape (n, 1) for one example, or
matrices of shape (n, m) whose m columns are the examples of a mini-batch. With m columns,
BP3 and BP4 return the gradient of the MEAN cost over the columns (for m = 1 that is the
gradient of C_x itself).
"""

from __future__ import annotations

import numpy as np


def bp1(nabla_a_C: np.ndarray, sigma_prime_zL: np.ndarray) -> np.ndarray:
    """(BP1) δ^L = ∇_a C ⊙ σ'(z^L): the error in the output layer.

    Both arguments and the result have shape (n_L, m).
    """
    return nabla_a_C * sigma_prime_zL


def bp2(w_next: np.ndarray, delta_next: np.ndarray, sigma_prime_z: np.ndarray) -> np.ndarray:
    """(BP2) δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l): the error moved back one layer.

    w_next: (n_{l+1}, n_l); delta_next: (n_{l+1}, m); sigma_prime_z: (n_l, m) -> (n_l, m).
    """
    return (w_next.T @ delta_next) * sigma_prime_z  # (n_l, n_{l+1}) @ (n_{l+1}, m) -> (n_l, m)


def bp3(delta: np.ndarray) -> np.ndarray:
    """(BP3) ∂C/∂b^l_j = δ^l_j, averaged over the m columns: (n_l, m) -> (n_l, 1)."""
    return delta.sum(axis=1, keepdims=True) / delta.shape[1]


def bp4(delta: np.ndarray, a_prev: np.ndarray) -> np.ndarray:
    """(BP4) ∂C/∂w^l_jk = a^{l-1}_k δ^l_j, averaged over the m columns.

    delta: (n_l, m); a_prev: (n_{l-1}, m) -> (n_l, n_{l-1}), the shape of w^l.
    """
    # Dividing the small δ by m, not the large product, saves a pass over a w-sized array.
    return (delta / delta.shape[1]) @ a_prev.T  # (n_l, m) @ (m, n_{l-1}) -> (n_l, n_{l-1})


def sigma_prime_matrix(sigma_prime_z: np.ndarray) -> np.ndarray:
    """Σ'(z): the square diagonal matrix with σ'(z_j) on its diagonal; (n, 1) -> (n, n)."""
    return np.diagflat(sigma_prime_z)


def bp1_matrix(nabla_a_C: np.ndarray, sigma_prime_zL: np.ndarray) -> np.ndarray:
    """(33) δ^L = Σ'(z^L) ∇_a C: BP1 with the diagonal matrix instead of ⊙; (n_L, 1)."""
    return sigma_prime_matrix(sigma_prime_zL) @ nabla_a_C  # (n_L, n_L) @ (n_L, 1)


def bp2_matrix(w_next: np.ndarray, delta_next: np.ndarray, sigma_prime_z: np.ndarray) -> np.ndarray:
    """(34) δ^l = Σ'(z^l) (w^{l+1})^T δ^{l+1}: BP2 with the diagonal matrix; (n_l, 1)."""
    return sigma_prime_matrix(sigma_prime_z) @ (w_next.T @ delta_next)  # (n_l, n_l) @ (n_l, 1)


def delta_product(
    weights: list[np.ndarray], sigma_primes: list[np.ndarray], nabla_a_C: np.ndarray, layer: int
) -> np.ndarray:
    """(35) δ^l = Σ'(z^l)(w^{l+1})^T ⋯ Σ'(z^{L-1})(w^L)^T Σ'(z^L) ∇_a C, one example.

    weights[i] is w^{i+2} and sigma_primes[i] is σ'(z^{i+2}), shape (n_{i+2}, 1); ``layer`` is
    the book's l (2 ≤ l ≤ L). Returns δ^l of shape (n_l, 1).
    """
    L = len(weights) + 1
    delta = bp1_matrix(nabla_a_C, sigma_primes[-1])
    for l in range(L - 1, layer - 1, -1):  # book layers L-1, …, l
        delta = bp2_matrix(weights[l - 1], delta, sigma_primes[l - 2])  # w^{l+1} is weights[l-1]
    return delta
