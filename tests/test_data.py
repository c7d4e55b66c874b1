"""Data loaders: the offline digits, and MNIST from IDX, npz and pickle files written here.

Every MNIST file is small and written by the test itself into tmp_path (the IDX header byte by
byte with struct, independently of the loader), so nothing downloads; corrupted copies must
fail with a ValueError that names what was expected.
"""

from __future__ import annotations

import gzip
import pickle
import socket
import struct
from collections import Counter

import numpy as np
import pytest

from nndl_backprop import Network
from nndl_backprop.data import (
    load_digits,
    load_mnist,
    load_mnist_idx,
    load_mnist_npz,
    load_mnist_pkl,
    read_idx,
    vectorized_result,
)


# ----- writing small MNIST-like files ----------------------------------------------------------
def idx_bytes(arr: np.ndarray, type_byte: int = 0x08, dtype: str = ">u1") -> bytes:
    """An IDX file: 0x00 0x00, the type byte, ndim, each dimension as big-endian uint32, data."""
    header = bytes([0, 0, type_byte, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return header + arr.astype(dtype).tobytes()


def small_mnist(n_train=12, n_test=5, rows=28, cols=28, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (n_train, rows, cols), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (n_test, rows, cols), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def write_idx_dir(directory, arrays, gz=False, dotted=False):
    for key, arr in arrays.items():
        name = FILE_NAMES[key].replace("-idx", ".idx") if dotted else FILE_NAMES[key]
        data = idx_bytes(arr)
        if gz:
            (directory / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (directory / name).write_bytes(data)
    return directory


def check_book_format(parts, arrays, n_validation):
    """The loaded parts hold exactly the written pixels / 255 and labels, split as the book does."""
    training_data, validation_data, test_data = parts
    images = arrays["train_images"].reshape(len(arrays["train_images"]), -1) / 255.0
    labels = arrays["train_labels"]
    cut = len(images) - n_validation
    assert len(training_data) == cut and len(validation_data) == n_validation
    for (x, y), pixels, label in zip(training_data, images[:cut], labels[:cut]):
        assert x.shape == (784, 1) and y.shape == (10, 1)
        np.testing.assert_array_equal(x[:, 0], pixels)
        np.testing.assert_array_equal(y, vectorized_result(int(label)))
    for (x, label), pixels, want in zip(validation_data, images[cut:], labels[cut:]):
        assert x.shape == (784, 1) and type(label) is int and label == want
        np.testing.assert_array_equal(x[:, 0], pixels)
    test_images = arrays["test_images"].reshape(len(arrays["test_images"]), -1) / 255.0
    assert len(test_data) == len(test_images)
    for (x, label), pixels, want in zip(test_data, test_images, arrays["test_labels"]):
        assert type(label) is int and label == want
        np.testing.assert_array_equal(x[:, 0], pixels)
    every_x = [x for part in parts for x, _ in part]
    assert min(x.min() for x in every_x) >= 0.0 and max(x.max() for x in every_x) <= 1.0


# ----- IDX ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("dotted", [False, True], ids=["dash", "dot"])
def test_idx_files_load_back_in_the_books_format(tmp_path, gz, dotted):
    arrays = small_mnist()
    write_idx_dir(tmp_path, arrays, gz=gz, dotted=dotted)
    check_book_format(load_mnist_idx(tmp_path, n_validation=4), arrays, 4)
    check_book_format(load_mnist(tmp_path, n_validation=4), arrays, 4)


def test_idx_stacked_format_matches_the_pairs_and_trains(tmp_path):
    arrays = small_mnist(n_train=30, n_test=6)
    write_idx_dir(tmp_path, arrays)
    pairs = load_mnist_idx(tmp_path, n_validation=10)
    (X, Y), (Xv, yv), (Xt, yt) = load_mnist_idx(tmp_path, n_validation=10, stacked=True)
    assert X.shape == (784, 20) and Y.shape == (10, 20)
    assert Xv.shape == (784, 10) and yv.shape == (10,) and Xt.shape == (784, 6)
    np.testing.assert_array_equal(X, np.hstack([x for x, _ in pairs[0]]))
    np.testing.assert_array_equal(Y, np.hstack([y for _, y in pairs[0]]))
    np.testing.assert_array_equal(yt, [label for _, label in pairs[2]])
    history = Network([784, 5, 10], seed=0).SGD(
        (X, Y), 1, 5, 3.0, test_data=(Xt, yt), seed=0, progress=False
    )
    assert len(history.accuracy) == 1 and 0 <= history.correct[0] <= 6


@pytest.mark.parametrize(
    ("dtype", "type_byte"), [(">i2", 0x0B), (">i4", 0x0C), (">f4", 0x0D), (">f8", 0x0E)]
)
def test_read_idx_reads_every_type_big_endian(tmp_path, dtype, type_byte):
    arr = np.arange(-6, 6).reshape(3, 2, 2)
    path = tmp_path / "a.idx"
    path.write_bytes(idx_bytes(arr, type_byte, dtype))
    np.testing.assert_array_equal(read_idx(path), arr)


def corrupt(tmp_path, key, data: bytes):
    write_idx_dir(tmp_path, small_mnist())
    (tmp_path / FILE_NAMES[key]).write_bytes(data)
    return tmp_path


def test_idx_bad_magic_number(tmp_path):
    data = b"\x12\x34" + idx_bytes(small_mnist()["train_images"])[2:]
    with pytest.raises(ValueError, match="not an IDX file.*bad magic number 1234"):
        load_mnist_idx(corrupt(tmp_path, "train_images", data), n_validation=2)


def test_idx_truncated_data(tmp_path):
    data = idx_bytes(small_mnist()["test_images"])[:-100]
    with pytest.raises(ValueError, match=r"shape \(5, 28, 28\).*truncated"):
        load_mnist_idx(corrupt(tmp_path, "test_images", data), n_validation=2)


def test_idx_trailing_bytes(tmp_path):
    data = idx_bytes(small_mnist()["test_labels"]) + b"\x00"
    with pytest.raises(ValueError, match="5 bytes of data.*6 bytes after the header"):
        load_mnist_idx(corrupt(tmp_path, "test_labels", data), n_validation=2)


def test_idx_truncated_header(tmp_path):
    with pytest.raises(ValueError, match="header truncated"):
        load_mnist_idx(corrupt(tmp_path, "train_labels", b"\x00\x00\x08\x03\x00\x00"), 2)
    with pytest.raises(ValueError, match="only 3 bytes"):
        load_mnist_idx(corrupt(tmp_path, "train_labels", b"\x00\x00\x08"), 2)


def test_idx_labels_where_images_belong(tmp_path):
    data = idx_bytes(small_mnist()["train_labels"])
    with pytest.raises(
        ValueError, match="expected images.*magic number 2051.*got magic number 2049"
    ):
        load_mnist_idx(corrupt(tmp_path, "train_images", data), n_validation=2)


def test_idx_wrong_type_byte_for_labels(tmp_path):
    data = idx_bytes(small_mnist()["train_labels"], 0x0C, ">i4")
    with pytest.raises(ValueError, match="expected labels.*2049.*got magic number 3073"):
        load_mnist_idx(corrupt(tmp_path, "train_labels", data), n_validation=2)


def test_idx_image_and_label_counts_differ(tmp_path):
    data = idx_bytes(small_mnist()["train_labels"][:-1])
    with pytest.raises(ValueError, match="holds 12 images but .* holds 11 labels"):
        load_mnist_idx(corrupt(tmp_path, "train_labels", data), n_validation=2)


def test_idx_label_out_of_range(tmp_path):
    labels = small_mnist()["test_labels"].copy()
    labels[0] = 10
    with pytest.raises(ValueError, match=r"test labels must be integers 0 … 9"):
        load_mnist_idx(corrupt(tmp_path, "test_labels", idx_bytes(labels)), n_validation=2)


def test_idx_train_and_test_image_sizes_differ(tmp_path):
    arrays = small_mnist()
    arrays["test_images"] = arrays["test_images"][:, :27, :]
    write_idx_dir(tmp_path, arrays)
    with pytest.raises(ValueError, match="784 pixels, test images 756"):
        load_mnist_idx(tmp_path, n_validation=2)


def test_idx_corrupt_gzip(tmp_path):
    write_idx_dir(tmp_path, small_mnist(), gz=True)
    path = tmp_path / (FILE_NAMES["train_images"] + ".gz")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="corrupt or truncated gzip"):
        load_mnist_idx(tmp_path, n_validation=2)


def test_idx_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        arrays = small_mnist()
        del arrays["test_images"]
        load_mnist_idx(write_idx_dir(tmp_path, arrays))
    with pytest.raises(FileNotFoundError, match="no such directory: .*nowhere"):
        load_mnist_idx(tmp_path / "nowhere")


@pytest.mark.parametrize("n_validation", [-1, 12, 100])
def test_idx_validation_size_out_of_range(tmp_path, n_validation):
    write_idx_dir(tmp_path, small_mnist())
    with pytest.raises(ValueError, match=r"n_validation must lie in 0 … 11"):
        load_mnist_idx(tmp_path, n_validation=n_validation)


def test_idx_no_validation_set(tmp_path):
    arrays = small_mnist()
    write_idx_dir(tmp_path, arrays)
    check_book_format(load_mnist_idx(tmp_path, n_validation=0), arrays, 0)
    with pytest.raises(TypeError, match="n_validation must be an integer"):
        load_mnist_idx(tmp_path, n_validation=2.5)


# ----- npz ---------------------------------------------------------------------------------------
def npz_arrays(arrays):
    return {
        "x_train": arrays["train_images"],
        "y_train": arrays["train_labels"],
        "x_test": arrays["test_images"],
        "y_test": arrays["test_labels"],
    }


def test_npz_of_bytes_loads_back(tmp_path):
    arrays = small_mnist()
    np.savez_compressed(tmp_path / "mnist.npz", **npz_arrays(arrays))
    check_book_format(load_mnist_npz(tmp_path / "mnist.npz", n_validation=3), arrays, 3)
    check_book_format(load_mnist(tmp_path / "mnist.npz", n_validation=3), arrays, 3)


def test_npz_of_flat_float_pixels_loads_back(tmp_path):
    arrays = small_mnist()
    content = npz_arrays(arrays)
    for key in ("x_train", "x_test"):
        content[key] = content[key].reshape(len(content[key]), -1) / 255.0  # (n, 784) in [0, 1]
    np.savez(tmp_path / "flat.npz", **content)
    check_book_format(load_mnist_npz(tmp_path / "flat.npz", n_validation=3), arrays, 3)


def test_npz_missing_key(tmp_path):
    content = npz_arrays(small_mnist())
    del content["y_test"]
    np.savez(tmp_path / "m.npz", **content)
    with pytest.raises(ValueError, match=r"missing \['y_test'\]"):
        load_mnist_npz(tmp_path / "m.npz")


def test_npz_refuses_object_arrays(tmp_path):
    content = npz_arrays(small_mnist())
    content["y_train"] = np.array([object()] * 12)
    np.savez(tmp_path / "obj.npz", **content)  # numpy pickles object arrays
    with pytest.raises(ValueError, match="object arrays; expected numeric"):
        load_mnist_npz(tmp_path / "obj.npz")


def test_npz_bad_content(tmp_path):
    content = npz_arrays(small_mnist())
    content["x_test"] = content["x_test"] / 200.0  # floats above 1
    np.savez(tmp_path / "range.npz", **content)
    with pytest.raises(
        ValueError, match=r"x_test: float pixels must be finite and lie in \[0, 1\]"
    ):
        load_mnist_npz(tmp_path / "range.npz", n_validation=2)
    content = npz_arrays(small_mnist())
    content["y_train"] = content["y_train"][:5]
    np.savez(tmp_path / "count.npz", **content)
    with pytest.raises(ValueError, match=r"x_train of shape .*got \(12, 28, 28\) and \(5,\)"):
        load_mnist_npz(tmp_path / "count.npz", n_validation=2)
    (tmp_path / "junk.npz").write_bytes(b"not a zip archive at all")
    with pytest.raises(ValueError, match="not an .npz file"):
        load_mnist_npz(tmp_path / "junk.npz")
    whole = (tmp_path / "range.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError, match="not a readable .npz file"):
        load_mnist_npz(tmp_path / "cut.npz")


# ----- the book's pickle -------------------------------------------------------------------------
def write_book_pickle(path, arrays, n_validation):
    """mnist.pkl.gz as the book ships it: ((x, y), (x, y), (x, y)), x float32 (n, 784)."""
    x = (arrays["train_images"].reshape(len(arrays["train_images"]), -1) / 255.0).astype(np.float32)
    y = arrays["train_labels"].astype(np.int64)
    xt = (arrays["test_images"].reshape(len(arrays["test_images"]), -1) / 255.0).astype(np.float32)
    cut = len(x) - n_validation
    content = ((x[:cut], y[:cut]), (x[cut:], y[cut:]), (xt, arrays["test_labels"].astype(np.int64)))
    with gzip.open(path, "wb") as f:
        pickle.dump(content, f)


def test_book_pickle_loads_back(tmp_path):
    arrays = small_mnist()
    write_book_pickle(tmp_path / "mnist.pkl.gz", arrays, n_validation=4)
    with pytest.warns(UserWarning, match="unpickling runs code"):
        parts = load_mnist_pkl(tmp_path / "mnist.pkl.gz", trust=True)
    training_data, validation_data, test_data = parts
    assert (len(training_data), len(validation_data), len(test_data)) == (8, 4, 5)
    want = arrays["train_images"].reshape(12, -1).astype(np.float32) / np.float32(255)
    for (x, y), pixels, label in zip(training_data, want, arrays["train_labels"]):
        assert x.shape == (784, 1) and x.dtype == np.float64
        np.testing.assert_allclose(x[:, 0], pixels, rtol=1e-6)
        np.testing.assert_array_equal(y, vectorized_result(int(label)))
    assert [label for _, label in validation_data] == list(arrays["train_labels"][8:])
    assert [label for _, label in test_data] == list(arrays["test_labels"])


def test_book_pickle_is_refused_by_the_safe_loader(tmp_path):
    write_book_pickle(tmp_path / "mnist.pkl.gz", small_mnist(), n_validation=4)
    with pytest.raises(ValueError, match="runs code.*load_mnist_pkl"):
        load_mnist(tmp_path / "mnist.pkl.gz")


@pytest.mark.filterwarnings("ignore:bad.pkl.gz. unpickling runs code")
def test_book_pickle_bad_content(tmp_path):
    path = tmp_path / "bad.pkl.gz"
    path.write_bytes(gzip.compress(b"this is not a pickle"))
    with pytest.raises(ValueError, match="not a readable pickle"):
        load_mnist_pkl(path, trust=True)
    with gzip.open(path, "wb") as f:
        pickle.dump(("only", "two"), f)
    with pytest.raises(ValueError, match=r"expected a tuple \(training, validation, test\)"):
        load_mnist_pkl(path, trust=True)
    with gzip.open(path, "wb") as f:
        pickle.dump(((np.zeros((3, 784)), np.zeros(2, int)),) * 3, f)
    with pytest.raises(ValueError, match=r"training part should hold .*\(3, 784\) and \(2,\)"):
        load_mnist_pkl(path, trust=True)


# ----- the offline digits ------------------------------------------------------------------------
def test_load_digits_shapes_range_and_labels():
    training_data, test_data = load_digits()
    assert (len(training_data), len(test_data)) == (1797 - 297, 297)
    for x, y in training_data:
        assert x.shape == (64, 1) and y.shape == (10, 1)
        assert y.sum() == 1.0 and set(np.unique(y)) <= {0.0, 1.0}
    xs = np.hstack([x for x, _ in training_data + test_data])  # (64, 1797)
    assert xs.min() == 0.0 and xs.max() == 1.0
    train_labels = {int(np.argmax(y)) for _, y in training_data}
    test_labels = {label for _, label in test_data}
    assert train_labels == test_labels == set(range(10))
    assert all(type(label) is int for _, label in test_data)


def test_load_digits_split_is_a_seeded_partition():
    from sklearn.datasets import load_digits as sk_load_digits

    first, again, other = load_digits(seed=3), load_digits(seed=3), load_digits(seed=4)
    same = [np.array_equal(a[0], b[0]) for a, b in zip(first[1], again[1])]
    assert all(same)
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(first[1], other[1]))
    # Train and test are disjoint and together hold every image exactly once.
    digits = sk_load_digits()
    everything = Counter(
        (row / 16.0).tobytes() + bytes([t]) for row, t in zip(digits.data, digits.target)
    )
    split = Counter(x.tobytes() + bytes([int(np.argmax(y))]) for x, y in first[0])
    split += Counter(x.tobytes() + bytes([label]) for x, label in first[1])
    assert split == everything


@pytest.mark.parametrize("n_test", [0, 1797, -5])
def test_load_digits_rejects_bad_test_sizes(n_test):
    with pytest.raises(ValueError, match="n_test must lie in 1 … 1796"):
        load_digits(n_test=n_test)


def test_load_digits_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("load_digits tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(load_digits(n_test=100)[1]) == 100


# ----- hostile files: refuse before allocating, never run code without an opt-in ------------
class Touch:
    """A pickle that, when loaded, creates a file: proof that loading ran code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (self.marker.touch, ())


def test_a_pickle_is_not_loaded_without_trust_true(tmp_path):
    marker, path = tmp_path / "ran", tmp_path / "evil.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(Touch(marker), f)
    for trust in (False, "yes", 1, None):
        with pytest.raises(
            ValueError, match=r"explicit opt-in: load_mnist_pkl\(path, trust=True\)"
        ):
            load_mnist_pkl(path, trust=trust)
    with pytest.raises(ValueError, match=r"trust=True"):
        load_mnist(path)
    assert not marker.exists()
    with pytest.warns(UserWarning, match="evil.pkl.gz: unpickling runs code"):
        with pytest.raises(ValueError, match="expected a tuple"):
            load_mnist_pkl(path, trust=True)
    assert marker.exists()  # it did run: that is why the opt-in exists


def _gzip_stream(path, header: bytes, n_zeros: int):
    with gzip.open(path, "wb") as f:
        f.write(header)
        chunk = bytes(1 << 20)
        for _ in range(n_zeros // len(chunk)):
            f.write(chunk)


def test_a_small_gzip_that_inflates_far_beyond_its_header_is_stopped_early(tmp_path):
    import tracemalloc

    path = tmp_path / "train-images-idx3-ubyte.gz"
    header = bytes([0, 0, 8, 3]) + struct.pack(">3I", 10, 28, 28)  # 10 images: 7,840 bytes
    _gzip_stream(path, header, 64 << 20)  # …followed by 64 MiB of zeros
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.gz: .*go on after"):
            read_idx(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"{peak:,} bytes allocated"


@pytest.mark.parametrize(
    ("type_byte", "dims", "fragment"),
    [
        (0x08, (60000, 100000, 100000), "600,000,000,000,000 bytes"),
        (0x0E, (2**32 - 1,) * 3, "more than"),  # 8·(2³²−1)³ overflows int64
        (0x08, (2**32 - 1,) * 255, "more than"),  # 255 dimensions
    ],
)
def test_an_idx_header_claiming_huge_sizes_is_refused_before_reading(
    tmp_path, type_byte, dims, fragment
):
    path = tmp_path / "huge-idx"
    header = bytes([0, 0, type_byte, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)
    path.write_bytes(header + bytes(100))
    with pytest.raises(ValueError, match=rf"huge-idx: the header announces .*{fragment}"):
        read_idx(path)
    path.with_suffix(".gz").write_bytes(gzip.compress(header + bytes(100)))
    with pytest.raises(ValueError, match="MAX_ARRAY_BYTES"):
        read_idx(path.with_suffix(".gz"))


def test_the_size_limit_is_checked_before_the_data_are_read(tmp_path, monkeypatch):
    import nndl_backprop.data as data

    write_idx_dir(tmp_path, small_mnist())
    monkeypatch.setattr(data, "MAX_ARRAY_BYTES", 1000)  # 12 images of 784 bytes exceed it
    with pytest.raises(ValueError, match=r"shape \(12, 28, 28\), 9,408 bytes, more than the 1,000"):
        load_mnist_idx(tmp_path, n_validation=2)


@pytest.mark.parametrize("where", ["middle", "crc", "length"])
def test_a_corrupt_gzip_is_a_value_error_naming_the_file(tmp_path, where):
    data = bytearray(gzip.compress(idx_bytes(small_mnist()["train_images"])))
    if where == "middle":
        data[10] = 0xFF  # the first deflate block's header: "invalid block type", zlib.error
    elif where == "crc":
        data[-8] ^= 0xFF
    else:
        data[-1] ^= 0xFF
    path = tmp_path / "bad-idx.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"bad-idx.gz: a corrupt or truncated gzip file"):
        read_idx(path)


def test_missing_and_misplaced_paths_say_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or directory: .*mnist_dir"):
        load_mnist(tmp_path / "mnist_dir")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_mnist_npz(tmp_path / "m.npz")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_mnist_pkl(tmp_path / "m.pkl.gz", trust=True)
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_idx(tmp_path / "none-idx")
    with pytest.raises(ValueError, match="is a directory, expected a file"):
        read_idx(tmp_path)
    (tmp_path / "afile").write_bytes(b"x")
    with pytest.raises(ValueError, match="afile: is a file; load_mnist_idx expects a directory"):
        load_mnist_idx(tmp_path / "afile")


def _npz_with(path, members: dict[str, bytes]):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _npy_bytes(arr=None, header=None) -> bytes:
    """A .npy file's bytes: ``arr`` saved by numpy, or only a header (no data) if given."""
    import io

    f = io.BytesIO()
    if header is None:
        np.save(f, arr)
    else:
        np.lib.format.write_array_header_1_0(f, header)
    return f.getvalue()


def _good_members():
    return {k + ".npy": _npy_bytes(v) for k, v in npz_arrays(small_mnist()).items()}


def test_an_npz_header_claiming_100_gb_is_refused_before_allocating(tmp_path):
    members = _good_members()
    header = {"descr": "|u1", "fortran_order": False, "shape": (100_000, 1_000_000)}
    members["x_train.npy"] = _npy_bytes(header=header) + bytes(1000)
    with pytest.raises(
        ValueError, match=r"x_train.npy: the header announces shape .*100,000,000,000 bytes"
    ):
        load_mnist_npz(_npz_with(tmp_path / "huge.npz", members))


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("x_train", b"raw bytes, not an array", r"x_train: not a .npy array"),
        ("x_train.npy", b"\x93NUMPY\x09\x00rest", r"x_train.npy: not a .npy array"),
        ("y_train.npy", b"", r"y_train.npy: not a .npy array"),
    ],
)
def test_an_npz_member_that_is_not_npy_is_a_value_error(tmp_path, name, data, fragment):
    members = _good_members()
    del members[name if name.endswith(".npy") else name + ".npy"]
    members[name] = data
    with pytest.raises(ValueError, match=fragment):
        load_mnist_npz(_npz_with(tmp_path / "odd.npz", members))


def test_an_npz_member_shorter_than_its_header_is_a_value_error(tmp_path):
    members = _good_members()
    members["x_test.npy"] = members["x_test.npy"][:-10]
    with pytest.raises(
        ValueError, match=r"x_test.npy: 3910 bytes of data where the header announces 3920"
    ):
        load_mnist_npz(_npz_with(tmp_path / "short.npz", members))


def test_an_npz_in_fortran_order_loads_the_same(tmp_path):
    arrays = small_mnist()
    content = {k: np.asfortranarray(v) for k, v in npz_arrays(arrays).items()}
    np.savez(tmp_path / "f.npz", **content)
    check_book_format(load_mnist_npz(tmp_path / "f.npz", n_validation=3), arrays, 3)
