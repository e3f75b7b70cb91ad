"""File digests: SHA-256 and SM3 (GB/T 32905-2016), incrementally, with one fallback for SM3.

SM3 comes from OpenSSL through hashlib when the build has it (environment.md checked it does here).
An OpenSSL without SM3 gets the pure-Python implementation below, which follows the standard's
text; it is slow (seconds per megabyte) and meant only to keep such an installation working.
gmssl, the fallback named earlier, is not a dependency of the project and hashes only whole
messages, so it is not used.
"""

import hashlib
import struct

CHUNK = 1024 * 1024

_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def _compress(v: tuple, block: bytes) -> tuple:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        a12 = _rotl(a, 12)
        ss1 = _rotl((a12 + e + _T[j]) & _MASK, 7)
        ss2 = ss1 ^ a12
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return tuple(x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True))


class PureSM3:
    """SM3 in Python with hashlib's interface (update, digest, hexdigest, copy)."""

    name = "sm3"
    digest_size = 32
    block_size = 64

    def __init__(self, data: bytes = b""):
        self._v, self._buffer, self._length = _IV, b"", 0
        if data:
            self.update(data)

    def update(self, data) -> None:
        data = bytes(data)
        self._length += len(data)
        buffer = self._buffer + data
        whole = len(buffer) - len(buffer) % 64
        v = self._v
        for i in range(0, whole, 64):
            v = _compress(v, buffer[i : i + 64])
        self._v, self._buffer = v, buffer[whole:]

    def digest(self) -> bytes:
        tail = self._buffer + b"\x80" + b"\x00" * ((55 - len(self._buffer)) % 64)
        tail += struct.pack(">Q", self._length * 8)
        v = self._v
        for i in range(0, len(tail), 64):
            v = _compress(v, tail[i : i + 64])
        return struct.pack(">8I", *v)

    def hexdigest(self) -> str:
        return self.digest().hex()

    def copy(self) -> "PureSM3":
        other = PureSM3()
        other._v, other._buffer, other._length = self._v, self._buffer, self._length
        return other


def openssl_has_sm3() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


def sm3_hasher(data: bytes = b"", *, openssl: bool | None = None):
    """An incremental SM3 hasher: OpenSSL's when it has SM3 (or `openssl=True`), else `PureSM3`."""
    if openssl is None:
        openssl = openssl_has_sm3()
    return hashlib.new("sm3", data) if openssl else PureSM3(data)


def sm3_hex(data: bytes) -> str:
    return sm3_hasher(data).hexdigest()


def file_digests(fileobj, *, chunk: int = CHUNK) -> tuple[str, str, int]:
    """(SHA-256, SM3, size) of a binary file object, read from where it stands in chunks."""
    sha, sm3, size = hashlib.sha256(), sm3_hasher(), 0
    for block in iter(lambda: fileobj.read(chunk), b""):
        sha.update(block)
        sm3.update(block)
        size += len(block)
    return sha.hexdigest(), sm3.hexdigest(), size
