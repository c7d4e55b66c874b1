"""Handwritten digits in the book's (x, y) format.

The offline default is scikit-learn's ``load_digits``: 1,797 real 8×8 digits shipped inside
its wheel, so nothing downloads. The MNIST loaders read files the user already has; nothing
here ever downloads:

- :func:`load_mnist_idx`: the four standard IDX files (``train-images-idx3-ubyte`` …,
  optionally gzipped), the preferred format;
- :func:`load_mnist_npz`: an ``.npz`` with ``x_train, y_train, x_test, y_test``, never
  unpickled;
- :func:`load_mnist_pkl`: the book's ``mnist.pkl.gz``. Unpickling runs code, so it loads only
  with an explicit ``trust=True`` in the call, and warns when it does.

Sizes are checked before anything is allocated: the IDX and ``.npy`` headers announce the
shape, anything over :data:`MAX_ARRAY_BYTES` is refused, and a gzip stream is decompressed
no further than its header promises (a small file that inflates to gigabytes stops there).
A damaged file is a ValueError naming it and what was wrong; a missing one FileNotFoundError.

Each returns ``(training_data, validation_data, test_data)`` as the book's
``load_data_wrapper`` does: training pairs (x (784, 1), y one-hot (10, 1)); validation and test
pairs (x (784, 1), label int); pixels in [0, 1]. With ``stacked=True`` each part is instead a
pair of arrays with one example per column, (X (784, n), Y (10, n)) for training and
(X (784, n), labels (n,)) for validation and test, which ``Network.SGD`` takes as they are.
"""

from __future__ import annotations

import gzip
import io
import math
import pickle
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np


def vectorized_result(j: int, n: int = 10) -> np.ndarray:
    """The one-hot column (n, 1) with a 1.0 in row j: the desired output for digit j."""
    e = np.zeros((n, 1))
    e[j] = 1.0
    return e


def load_digits(n_test: int = 297, seed: int = 0):
    """(training_data, test_data) from the offline 8×8 digits, pixels scaled to [0, 1].

    training_data: list of (x (64, 1), y (10, 1) one-hot); test_data: list of (x (64, 1),
    label int), as in the book's ``load_data_wrapper``. The split is a seeded shuffle.
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as exc:  # the data extra is optional for the core
        raise ImportError(
            "the offline digits need scikit-learn: pip install 'nndl-backprop[notebooks]'"
        ) from exc
    digits = _sk_load_digits()
    X = digits.data / 16.0  # (1797, 64), pixel intensities 0 … 16 -> [0, 1]
    labels = digits.target.astype(int)
    n = X.shape[0]
    if not 0 < n_test < n:
        raise ValueError(f"n_test must lie in 1 … {n - 1}, got {n_test}")
    order = np.random.default_rng(seed).permutation(n)
    test_idx, train_idx = order[:n_test], order[n_test:]
    training_data = [(X[i].reshape(64, 1), vectorized_result(labels[i])) for i in train_idx]
    test_data = [(X[i].reshape(64, 1), int(labels[i])) for i in test_idx]
    return training_data, test_data


# ----- MNIST -----------------------------------------------------------------------------------
IDX_MAGIC_IMAGES = 2051  # 0x00000803: unsigned bytes, 3 dimensions (n, rows, cols)
IDX_MAGIC_LABELS = 2049  # 0x00000801: unsigned bytes, 1 dimension (n,)
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
# The IDX type byte -> big-endian numpy dtype (the format's own table).
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IDX_CODES = {np.dtype(code): byte for byte, code in _IDX_DTYPES.items()}
_GZIP_MAGIC = b"\x1f\x8b"


MAX_ARRAY_BYTES = 1 << 30  # 1 GiB: MNIST's largest array is 47 MB; refuse any header over this
_STREAM_ERRORS = (OSError, EOFError, zlib.error)  # bad CRC, truncated or corrupt deflate data


def read_idx(path) -> np.ndarray:
    """The array stored in one IDX file (gzipped or not), with the header checked.

    The header is two zero bytes, a type byte, the number of dimensions, then each dimension
    as a big-endian uint32; the data follow, big-endian. Raises ValueError naming the file
    when any of that does not hold, the data are truncated or too long, or the header
    announces more than :data:`MAX_ARRAY_BYTES` (checked before reading the data).
    """
    path = _existing_file(path)
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
    try:
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as f:
            return _read_idx_stream(f, path, None if gzipped else path.stat().st_size)
    except _STREAM_ERRORS as exc:
        raise ValueError(
            f"{path.name}: a corrupt or truncated gzip file ({type(exc).__name__}: {exc})"
        ) from None


def _read_idx_stream(f, path: Path, file_size: int | None) -> np.ndarray:
    """Read the header, check the size it announces, then read exactly that many bytes."""
    head = f.read(4)
    if len(head) < 4:
        raise ValueError(f"{path.name}: not an IDX file (only {len(head)} bytes)")
    zeros, type_code, ndim = head[:2], head[2], head[3]
    if zeros != b"\x00\x00" or type_code not in _IDX_DTYPES or ndim == 0:
        raise ValueError(
            f"{path.name}: not an IDX file (bad magic number {head.hex()}; expected "
            "00 00, a type byte such as 08, and the number of dimensions)"
        )
    dims_raw = f.read(4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise ValueError(f"{path.name}: IDX header truncated ({ndim} dimensions announced)")
    dims = struct.unpack(f">{ndim}I", dims_raw)
    dtype = np.dtype(_IDX_DTYPES[type_code])
    expected = math.prod(dims) * dtype.itemsize  # Python ints: no overflow
    _refuse_big(path.name, f"shape {dims}", expected)
    header = 4 + 4 * ndim
    if file_size is not None and file_size - header != expected:
        held = file_size - header
        raise ValueError(
            f"{path.name}: the header announces shape {dims} ({expected} bytes of data) but "
            f"the file holds {held} bytes after the header"
            + (" (truncated?)" if held < expected else "")
        )
    data = f.read(expected)
    if len(data) < expected:
        raise ValueError(
            f"{path.name}: the header announces shape {dims} ({expected} bytes of data) but "
            f"the file holds {len(data)} bytes after the header (truncated?)"
        )
    if f.read(1):  # also makes gzip read its trailer and check the CRC
        raise ValueError(
            f"{path.name}: the header announces shape {dims} ({expected} bytes of data) but "
            "the data go on after that"
        )
    return np.frombuffer(data, dtype=dtype).reshape(dims)


def _refuse_big(name: str, what: str, nbytes: int) -> None:
    if nbytes > MAX_ARRAY_BYTES:
        raise ValueError(
            f"{name}: the header announces {what}, {nbytes:,} bytes, more than the "
            f"{MAX_ARRAY_BYTES:,} this loader allocates (MAX_ARRAY_BYTES); a corrupt or "
            "hostile file, or not MNIST"
        )


def _existing_file(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if not path.is_file():
        raise ValueError(f"{path.name}: is a directory, expected a file")
    return path


def _read_capped(path: Path, limit: int) -> bytes:
    """The file's bytes, gunzipped if gzipped, reading no more than ``limit`` of them."""
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as f:
            data = f.read(limit + 1)
    except _STREAM_ERRORS as exc:
        raise ValueError(
            f"{path.name}: a corrupt or truncated gzip file ({type(exc).__name__}: {exc})"
        ) from None
    if len(data) > limit:
        raise ValueError(f"{path.name}: holds more than {limit:,} bytes (MAX_ARRAY_BYTES)")
    return data


def _find_idx(directory: Path, stem: str) -> Path:
    # Also accept the common spelling with a dot, e.g. train-images.idx3-ubyte.
    dotted = stem.replace("-idx", ".idx")
    for name in (stem, stem + ".gz", dotted, dotted + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(f"{directory}: no {stem} (nor {stem}.gz) here")


def _idx_of_kind(path: Path, magic: int, kind: str) -> np.ndarray:
    """read_idx, then insist on the magic number of MNIST's images (2051) or labels (2049)."""
    arr = read_idx(path)
    got = 256 * _IDX_CODES[arr.dtype] + arr.ndim
    if got != magic:
        raise ValueError(
            f"{path.name}: expected {kind} (magic number {magic}), got magic number {got} "
            f"({arr.dtype} of shape {arr.shape})"
        )
    return arr


def load_mnist_idx(directory, n_validation: int = 10_000, stacked: bool = False):
    """(training_data, validation_data, test_data) from the four MNIST IDX files in ``directory``.

    Files: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
    ``t10k-labels-idx1-ubyte``, each optionally gzipped (``.gz``). As in the book, the last
    ``n_validation`` training images become the validation set (60,000 -> 50,000 + 10,000).
    Pixels 0 … 255 are scaled to [0, 1]; see the module docstring for the returned format.
    """
    directory = Path(directory)
    if not directory.exists():
        raise FileNotFoundError(f"no such directory: {directory} (expected the MNIST IDX files)")
    if not directory.is_dir():
        raise ValueError(
            f"{directory.name}: is a file; load_mnist_idx expects a directory holding the four "
            "MNIST IDX files (load_mnist_npz reads an .npz)"
        )
    paths = {key: _find_idx(directory, stem) for key, stem in IDX_FILES.items()}
    parts = []
    for split in ("train", "test"):
        images = _idx_of_kind(paths[f"{split}_images"], IDX_MAGIC_IMAGES, "images (n, rows, cols)")
        labels = _idx_of_kind(paths[f"{split}_labels"], IDX_MAGIC_LABELS, "labels (n,)")
        if images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"{paths[f'{split}_images'].name} holds {images.shape[0]} images but "
                f"{paths[f'{split}_labels'].name} holds {labels.shape[0]} labels"
            )
        parts += [images.reshape(images.shape[0], -1) / 255.0, labels]  # (n, rows·cols), (n,)
    return _book_format(*parts, n_validation=n_validation, stacked=stacked, source=directory.name)


def load_mnist_npz(path, n_validation: int = 10_000, stacked: bool = False):
    """(training_data, validation_data, test_data) from an ``.npz`` holding MNIST.

    Keys ``x_train`` (n, 28, 28) or (n, 784), ``y_train`` (n,), ``x_test``, ``y_test`` (the
    layout of Keras' ``mnist.npz``). Pixels may be integers 0 … 255 (scaled to [0, 1]) or floats
    already in [0, 1]. Each ``.npy`` header is checked before its data are read, and object
    arrays (which need pickle) are refused, so the file cannot run code.
    """
    path = _existing_file(path)
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # every .npz is a zip archive
            raise ValueError(f"{path.name}: not an .npz file (no zip archive header)")
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        with zipfile.ZipFile(path) as archive:
            members = {n.removesuffix(".npy"): n for n in archive.namelist()}
            missing = set(keys) - set(members)
            if missing:
                raise ValueError(
                    f"{path.name}: expected arrays x_train, y_train, x_test, y_test; missing "
                    f"{sorted(missing)} (found {sorted(members)})"
                )
            arrays = {}
            for key in keys:
                with archive.open(members[key]) as f:
                    arrays[key] = _read_npy(f, f"{path.name} {members[key]}")
    except (zipfile.BadZipFile, *_STREAM_ERRORS) as exc:  # a damaged archive
        raise ValueError(f"{path.name}: not a readable .npz file ({exc})") from None
    parts = []
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim not in (2, 3) or y.ndim != 1 or x.shape[0] != y.shape[0]:
            raise ValueError(
                f"{path.name}: expected x_{split} of shape (n, 28, 28) or (n, 784) and y_{split} "
                f"of shape (n,); got {x.shape} and {y.shape}"
            )
        parts += [_pixels(x.reshape(x.shape[0], -1), f"{path.name} x_{split}"), y]
    return _book_format(*parts, n_validation=n_validation, stacked=stacked, source=path.name)


def _read_npy(f, name: str) -> np.ndarray:
    """One .npy member: header read and checked (numeric dtype, size) before the data."""
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
    except ValueError as exc:
        raise ValueError(f"{name}: not a .npy array ({exc})") from None
    if dtype.hasobject:  # object arrays need pickle, which we refuse
        raise ValueError(f"{name}: holds object arrays; expected numeric arrays")
    nbytes = math.prod(shape) * dtype.itemsize
    _refuse_big(name, f"shape {shape} of {dtype}", nbytes)
    data = f.read(nbytes)
    if len(data) != nbytes:
        raise ValueError(f"{name}: {len(data)} bytes of data where the header announces {nbytes}")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def load_mnist_pkl(path, stacked: bool = False, *, trust: bool = False):
    """(training_data, validation_data, test_data) from the book's ``mnist.pkl.gz``.

    Unpickling runs code stored in the file, so this refuses (ValueError) unless the call says
    ``trust=True``, and then warns (UserWarning) as it loads. Use it only on a file you trust
    (the book's own copy); prefer :func:`load_mnist_idx` or :func:`load_mnist_npz`, which
    cannot run code. The pickle holds the split already (50,000 / 10,000 / 10,000 images,
    floats in [0, 1]); at most 4 × :data:`MAX_ARRAY_BYTES` are decompressed.
    """
    path = _existing_file(path)
    if trust is not True:
        raise ValueError(
            f"{path.name}: a pickle runs code stored in the file when it is loaded, so "
            "load_mnist_pkl needs an explicit opt-in: load_mnist_pkl(path, trust=True), for a "
            "file you trust only. Better: convert it once to .npz and use load_mnist_npz."
        )
    warnings.warn(
        f"{path.name}: unpickling runs code stored in the file; loading it because "
        "trust=True was given",
        UserWarning,
        stacklevel=2,
    )
    raw = _read_capped(path, 4 * MAX_ARRAY_BYTES)
    try:
        content = pickle.load(io.BytesIO(raw), encoding="latin1")  # the book's Python 2 pickle
    except Exception as exc:  # a damaged pickle can fail in many ways
        raise ValueError(f"{path.name}: not a readable pickle ({type(exc).__name__})") from None
    if not (isinstance(content, tuple | list) and len(content) == 3):
        raise ValueError(f"{path.name}: expected a tuple (training, validation, test)")
    parts = []
    for name, part in zip(("training", "validation", "test"), content):
        if not (isinstance(part, tuple | list) and len(part) == 2):
            raise ValueError(f"{path.name}: the {name} part should be a pair (images, labels)")
        x, y = np.asarray(part[0]), np.asarray(part[1])
        if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.shape[0]:
            raise ValueError(
                f"{path.name}: the {name} part should hold images (n, 784) and labels (n,); "
                f"got {x.shape} and {y.shape}"
            )
        parts += [_pixels(x, f"{path.name} {name} images"), y]
    (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = zip(parts[::2], parts[1::2])
    return _book_format(
        np.concatenate([x_tr, x_va]),
        np.concatenate([y_tr, y_va]),
        x_te,
        y_te,
        n_validation=x_va.shape[0],
        stacked=stacked,
        source=path.name,
    )


def load_mnist(path, n_validation: int = 10_000, stacked: bool = False):
    """MNIST from a directory of IDX files or an ``.npz``: :func:`load_mnist_idx` or
    :func:`load_mnist_npz`. Pickles are refused here; :func:`load_mnist_pkl` reads them."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    if path.is_dir():
        return load_mnist_idx(path, n_validation, stacked)
    if path.suffix == ".npz":
        return load_mnist_npz(path, n_validation, stacked)
    if ".pkl" in path.suffixes:
        raise ValueError(
            f"{path.name} is a pickle, which runs code when loaded: if you trust it, call "
            "load_mnist_pkl(path, trust=True); better, convert it once to .npz"
        )
    raise ValueError(f"{path}: expected a directory of MNIST IDX files or an .npz file")


def _pixels(x: np.ndarray, name: str) -> np.ndarray:
    """Pixels (n, d) as float64 in [0, 1]: integers 0 … 255 are scaled, floats checked."""
    if x.dtype.kind in "iu":
        if x.size and (x.min() < 0 or x.max() > 255):
            raise ValueError(f"{name}: integer pixels must lie in 0 … 255")
        return x / 255.0
    if x.dtype.kind != "f":
        raise ValueError(f"{name}: expected numeric pixels, got dtype {x.dtype}")
    if not np.all(np.isfinite(x)) or (x.size and (x.min() < 0.0 or x.max() > 1.0)):
        raise ValueError(f"{name}: float pixels must be finite and lie in [0, 1]")
    return x.astype(np.float64)


def _book_format(x_train, y_train, x_test, y_test, *, n_validation, stacked, source):
    """Split the last n_validation training rows off and lay every part out as the book does."""
    if x_train.shape[1] != x_test.shape[1]:
        raise ValueError(
            f"{source}: training images have {x_train.shape[1]} pixels, test images "
            f"{x_test.shape[1]}"
        )
    for name, y in (("training", y_train), ("test", y_test)):
        if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() > 9)):
            raise ValueError(f"{source}: {name} labels must be integers 0 … 9")
    n = x_train.shape[0]
    if isinstance(n_validation, bool) or not isinstance(n_validation, int | np.integer):
        raise TypeError(f"n_validation must be an integer, got {n_validation!r}")
    if not 0 <= n_validation < n:
        raise ValueError(
            f"n_validation must lie in 0 … {n - 1} ({n} training images), got {n_validation}"
        )
    cut = n - n_validation
    x_va, y_va = x_train[cut:], y_train[cut:]
    x_tr, y_tr = x_train[:cut], y_train[:cut]
    if stacked:
        onehot = np.zeros((10, cut))
        onehot[y_tr, np.arange(cut)] = 1.0
        labels_va, labels_te = y_va.astype(np.int64), y_test.astype(np.int64)
        return (x_tr.T, onehot), (x_va.T, labels_va), (x_test.T, labels_te)  # columns
    d = x_train.shape[1]
    training_data = [(x.reshape(d, 1), vectorized_result(int(y))) for x, y in zip(x_tr, y_tr)]
    validation_data = [(x.reshape(d, 1), int(y)) for x, y in zip(x_va, y_va)]
    test_data = [(x.reshape(d, 1), int(y)) for x, y in zip(x_test, y_test)]
    return training_data, validation_data, test_data
