"""The four fundamental equations of backpropagation, BP1–BP4, one small function each.

Shapes: a layer with n neurons holds column vectors of shape (n, 1) for one example, or
matrices of shape (n, m) whose m columns are the examples of a mini-batch. With m columns,
BP3 and BP4 return the gradient of the MEAN cost over the columns (for m = 1 that is the
gradient of C_x itself).

Every function checks the shapes of its arguments first, so a (3,) vector never broadcasts
against a (3, 1) column into a (3, 3) matrix: ValueError naming the shape expected. The checks
read only ``type``, ``ndim`` and ``shape`` (well under 2 µs per call, so the
training path that calls them every mini-batch step does not notice them); NaN is not
scanned for here. Non-array arguments (lists) take a slower path through ``as_matrix``.
"""

from __future__ import annotations

import numpy as np

from .validation import as_matrix, book_layer


def bp1(nabla_a_C: np.ndarray, sigma_prime_zL: np.ndarray) -> np.ndarray:
    """(BP1) δ^L = ∇_a C ⊙ σ'(z^L): the error in the output layer.

    Both arguments and the result have shape (n_L, m).
    """
    nabla_a_C, sigma_prime_zL = _checked_bp1(nabla_a_C, sigma_prime_zL)
    return nabla_a_C * sigma_prime_zL  # (n_L, m) ⊙ (n_L, m)


def bp2(w_next: np.ndarray, delta_next: np.ndarray, sigma_prime_z: np.ndarray) -> np.ndarray:
    """(BP2) δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l): the error moved back one layer.

    w_next: (n_{l+1}, n_l); delta_next: (n_{l+1}, m); sigma_prime_z: (n_l, m) -> (n_l, m).
    """
    w_next, delta_next, sigma_prime_z = _checked_bp2(w_next, delta_next, sigma_prime_z)
    return (w_next.T @ delta_next) * sigma_prime_z  # (n_l, n_{l+1}) @ (n_{l+1}, m) -> (n_l, m)


def bp3(delta: np.ndarray) -> np.ndarray:
    """(BP3) ∂C/∂b^l_j = δ^l_j, averaged over the m columns: (n_l, m) -> (n_l, 1)."""
    delta = _checked_bp3(delta)
    return delta.sum(axis=1, keepdims=True) / delta.shape[1]


def bp4(delta: np.ndarray, a_prev: np.ndarray) -> np.ndarray:
    """(BP4) ∂C/∂w^l_jk = a^{l-1}_k δ^l_j, averaged over the m columns.

    delta: (n_l, m); a_prev: (n_{l-1}, m) -> (n_l, n_{l-1}), the shape of w^l.
    """
    delta, a_prev = _checked_bp4(delta, a_prev)
    # Dividing the small δ by m, not the large product, saves a pass over a w-sized array.
    return (delta / delta.shape[1]) @ a_prev.T  # (n_l, m) @ (m, n_{l-1}) -> (n_l, n_{l-1})


# ----- the shape checks: type, ndim and shape only (cheap); lists take the slow path ------------
def _matrix(a, name: str, what: str) -> np.ndarray:
    """``a`` if it is already a 2-D ndarray (the fast path), else as_matrix's answer."""
    if type(a) is np.ndarray and a.ndim == 2:
        return a
    return as_matrix(a, name, what)


def _fit(name: str, shape: tuple, want: str, *others: str) -> ValueError:
    return ValueError(
        f"{name} has shape {shape} but should be {want}"
        + (f" to match {', '.join(others)}" if others else "")
        + " (arrays are never broadcast here)"
    )


def _checked_bp1(nabla_a_C, sigma_prime_zL):
    nabla_a_C = _matrix(nabla_a_C, "nabla_a_C", "(n_L, m)")
    sigma_prime_zL = _matrix(sigma_prime_zL, "sigma_prime_zL", "(n_L, m)")
    if sigma_prime_zL.shape != nabla_a_C.shape:
        raise _fit("sigma_prime_zL", sigma_prime_zL.shape, str(nabla_a_C.shape), "nabla_a_C")
    return nabla_a_C, sigma_prime_zL


def _checked_bp2(w_next, delta_next, sigma_prime_z):
    w_next = _matrix(w_next, "w_next", "(n_{l+1}, n_l)")
    delta_next = _matrix(delta_next, "delta_next", "(n_{l+1}, m)")
    sigma_prime_z = _matrix(sigma_prime_z, "sigma_prime_z", "(n_l, m)")
    (n_next, n), m = w_next.shape, delta_next.shape[1]
    if delta_next.shape[0] != n_next:
        raise _fit("delta_next", delta_next.shape, f"({n_next}, m)", f"w_next {w_next.shape}")
    if sigma_prime_z.shape != (n, m):
        raise _fit(
            "sigma_prime_z",
            sigma_prime_z.shape,
            str((n, m)),
            f"w_next {w_next.shape}",
            f"delta_next {delta_next.shape}",
        )
    return w_next, delta_next, sigma_prime_z


def _checked_bp3(delta):
    delta = _matrix(delta, "delta", "(n_l, m)")
    if delta.shape[1] == 0:
        raise _fit("delta", delta.shape, "(n_l, m) with m ≥ 1 examples")
    return delta


def _checked_bp4(delta, a_prev):
    delta = _checked_bp3(delta)
    a_prev = _matrix(a_prev, "a_prev", "(n_{l-1}, m)")
    if a_prev.shape[1] != delta.shape[1]:
        raise _fit("a_prev", a_prev.shape, f"(n_(l-1), {delta.shape[1]})", f"delta {delta.shape}")
    return delta, a_prev


def sigma_prime_matrix(sigma_prime_z: np.ndarray) -> np.ndarray:
    """Σ'(z): the square diagonal matrix with σ'(z_j) on its diagonal; (n, 1) -> (n, n)."""
    sigma_prime_z = _column(sigma_prime_z, "sigma_prime_z")
    return np.diagflat(sigma_prime_z)


def _column(a, name: str) -> np.ndarray:
    a = _matrix(a, name, "a column (n, 1)")
    if a.shape[1] != 1:
        raise _fit(name, a.shape, "a column (n, 1) for one example")
    return a


def bp1_matrix(nabla_a_C: np.ndarray, sigma_prime_zL: np.ndarray) -> np.ndarray:
    """(33) δ^L = Σ'(z^L) ∇_a C: BP1 with the diagonal matrix instead of ⊙; (n_L, 1)."""
    nabla_a_C = _column(nabla_a_C, "nabla_a_C")
    if _column(sigma_prime_zL, "sigma_prime_zL").shape != nabla_a_C.shape:
        raise _fit("sigma_prime_zL", np.shape(sigma_prime_zL), str(nabla_a_C.shape), "nabla_a_C")
    return sigma_prime_matrix(sigma_prime_zL) @ nabla_a_C  # (n_L, n_L) @ (n_L, 1)


def bp2_matrix(w_next: np.ndarray, delta_next: np.ndarray, sigma_prime_z: np.ndarray) -> np.ndarray:
    """(34) δ^l = Σ'(z^l) (w^{l+1})^T δ^{l+1}: BP2 with the diagonal matrix; (n_l, 1)."""
    _column(delta_next, "delta_next")
    w_next, delta_next, sigma_prime_z = _checked_bp2(w_next, delta_next, sigma_prime_z)
    return sigma_prime_matrix(sigma_prime_z) @ (w_next.T @ delta_next)  # (n_l, n_l) @ (n_l, 1)


def delta_product(
    weights: list[np.ndarray], sigma_primes: list[np.ndarray], nabla_a_C: np.ndarray, layer: int
) -> np.ndarray:
    """(35) δ^l = Σ'(z^l)(w^{l+1})^T ⋯ Σ'(z^{L-1})(w^L)^T Σ'(z^L) ∇_a C, one example.

    weights[i] is w^{i+2} and sigma_primes[i] is σ'(z^{i+2}), shape (n_{i+2}, 1); ``layer`` is
    the book's l (2 ≤ l ≤ L). Returns δ^l of shape (n_l, 1).
    """
    if not isinstance(weights, list | tuple) or not isinstance(sigma_primes, list | tuple):
        raise TypeError("weights and sigma_primes must be lists of arrays, one per layer 2 … L")
    if len(weights) == 0 or len(sigma_primes) != len(weights):
        raise ValueError(
            f"weights and sigma_primes need one entry per layer l = 2 … L each; got "
            f"{len(weights)} weights and {len(sigma_primes)} sigma_primes"
        )
    L = len(weights) + 1
    layer = book_layer(layer, L)
    delta = bp1_matrix(nabla_a_C, sigma_primes[-1])
    for l in range(L - 1, layer - 1, -1):  # book layers L-1, …, l
        delta = bp2_matrix(weights[l - 1], delta, sigma_primes[l - 2])  # w^{l+1} is weights[l-1]
    return delta
