"""SM3 (GB/T 32905-2016) through OpenSSL and through the pure-Python fallback, one helper for all."""

import hashlib
import io
import os

import pytest

from qingshen.core.files import digests
from qingshen.core.files.digests import PureSM3, file_digests, sm3_hasher, sm3_hex

# The two examples of GB/T 32905-2016 Appendix A.
VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize("openssl", [True, False])
@pytest.mark.parametrize(("message", "expected"), VECTORS)
def test_standard_vectors_both_paths(openssl, message, expected):
    if openssl and not digests.openssl_has_sm3():
        pytest.skip("this OpenSSL has no SM3")
    h = sm3_hasher(openssl=openssl)
    for i in range(0, len(message), 5):  # fed in pieces that straddle the blocks
        h.update(message[i : i + 5])
    assert h.hexdigest() == expected
    assert sm3_hasher(message, openssl=openssl).hexdigest() == expected


def test_fallback_is_pure_python_and_matches_openssl_at_block_edges():
    assert isinstance(sm3_hasher(openssl=False), PureSM3)
    for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000):
        data = os.urandom(n)
        h = PureSM3(data[:3])
        copy = h.copy()
        h.update(data[3:])
        assert h.hexdigest() == PureSM3(data).hexdigest()
        if digests.openssl_has_sm3():
            assert h.hexdigest() == hashlib.new("sm3", data).hexdigest()
        assert copy.hexdigest() == PureSM3(data[:3]).hexdigest()  # a copy goes on on its own


def test_without_openssl_sm3_every_caller_falls_back(monkeypatch, tmp_path):
    """An OpenSSL build without SM3 raises ValueError from hashlib.new("sm3"); nothing breaks."""
    real_new = hashlib.new

    def new_without_sm3(name, *args, **kwargs):
        if name.lower() == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", new_without_sm3)
    assert not digests.openssl_has_sm3()
    assert isinstance(sm3_hasher(), PureSM3)
    assert sm3_hex(b"abc") == VECTORS[0][1]

    from qingshen.trail import chain

    assert chain.sm3_hex(b"abc") == VECTORS[0][1]
    sha, sm3, size = file_digests(io.BytesIO(b"abcd" * 16), chunk=7)
    assert (sha, sm3, size) == (hashlib.sha256(b"abcd" * 16).hexdigest(), VECTORS[1][1], 64)
