"""How 25,000 abstracts fit in one map.html: word ids, deflated, about 16 bits per character.

The texts are most of the page. They are coded as word ids against one vocabulary (about 30 %
smaller deflated than the text itself: the 32 KB deflate window then spans twice as much text),
deflated, and written as characters of a UTF-16 page, which hold 15.9 bits each; the browser
inflates them with its own `DecompressionStream`. `static/map.js` (`unpack`, `decodeTexts`)
reverses every step here.

Measured on the 25,838 arXiv abstracts (README, "The interactive map"): LZMA would save another
13 % but needs a decoder in the page that took 1.1 s of CPU where inflating takes 0.05 s; a
UTF-8 page carries at most 7 bits in a one-byte character (8/7 of the deflated size, 10.9 MB).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import deflate
import numpy as np

# The characters a packed blob may use: no controls, no "<" (it could end the <script>), no
# surrogates (a lone one does not survive decoding), no noncharacters. Inclusive ranges.
SAFE_RANGES = ((0x20, 0x3B), (0x3D, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFDCF), (0xFDF0, 0xFFFD))
_SAFE = np.concatenate([np.arange(lo, hi + 1) for lo, hi in SAFE_RANGES]).astype(np.uint16)
_ROOM = len(_SAFE) - (1 << 15)  # 15-bit values below this have room for a 16th bit

_TOKEN_RE = re.compile(r"\w+ ?|[^\w]+ ?")  # a word with its trailing space, or a run of the rest
_ONE_BYTE = 192  # ids below this take one byte
_PREFIXES = 64  # lead bytes 192..255 start a 2- or a 3-byte id
_END, _NEW = 0, 1  # the end of a text; the next rare word, used here for the first time


@dataclass(frozen=True)
class Packed:
    """A blob as characters for the page, and its deflated length in bytes (the decoder's cue)."""

    chars: str
    n_bytes: int


def pack(data: bytes) -> Packed:
    """Raw deflate (libdeflate's best level: 2 % smaller than zlib's), then 15 bits per character
    plus a 16th where the character has room for it.

    The 15-bit values come first from the bit stream; values below `_ROOM` can take one more bit
    (value + 32768 is still a safe character's index), filled from the stream's tail. That costs
    0.4 % over the deflated bytes, where escaping the unsafe 16-bit values would cost 3 %.
    """
    deflated = deflate.deflate_compress(data, 12)
    bits = np.unpackbits(np.frombuffer(deflated, dtype=np.uint8))
    most = -(-len(bits) // 15)
    stream = np.zeros(most * 15, dtype=np.uint8)
    stream[:len(bits)] = bits
    padded = np.hstack([np.zeros((most, 1), dtype=np.uint8), stream.reshape(most, 15)])
    values = np.packbits(padded, axis=1).view(">u2").ravel().astype(np.int64)
    # the fewest characters whose 15 bits and spare room hold every bit
    count = 1 + int(np.argmax(15 * np.arange(1, most + 1) + np.cumsum(values < _ROOM) >= len(bits)))
    values = values[:count]
    spare = bits[15 * count:].astype(np.int64)
    values[np.flatnonzero(values < _ROOM)[:len(spare)]] += spare << 15
    return Packed(_SAFE[values].astype("<u2").tobytes().decode("utf-16-le"), len(deflated))


def encode_texts(texts: list[str]) -> bytes:
    """Texts as word ids: a little-endian uint32 vocabulary length, one byte `t`, the vocabulary
    joined by NUL (ids from 2), then the ids.

    Ids below 192 take one byte; then 192 + high byte, low byte up to 192 + (64 - t) * 256; then
    three bytes from lead byte 256 - t. Frequent words get the short ids. Rare words (the 3-byte
    ids) are listed in order of first use, so a first use is coded as id 1 ("the next one"): half
    of them occur once. Id 0 ends a text.
    """
    tokens = [_TOKEN_RE.findall(text) + [""] for text in texts]  # no token is empty: "" ends a text
    counts = Counter(chain.from_iterable(tokens))
    del counts[""]
    ranked = [token for token, _ in counts.most_common()]
    three = _three_byte_prefixes(len(ranked) + 2)
    rare_from = _ONE_BYTE + (_PREFIXES - three) * 256
    frequent = ranked[:rare_from - 2]
    known = set(frequent)
    vocab = frequent + [token for token in dict.fromkeys(chain.from_iterable(tokens)) if token and token not in known]
    index = {"": _END, **{token: i for i, token in enumerate(vocab, start=2)}}
    ids = np.fromiter(map(index.__getitem__, chain.from_iterable(tokens)), dtype=np.int64)
    rare = np.where(ids >= rare_from, ids, -1)
    seen = np.concatenate([[-1], np.maximum.accumulate(rare)[:-1]])
    ids[rare > seen] = _NEW
    words = "\x00".join(vocab).encode("utf-8")
    head = len(words).to_bytes(4, "little") + bytes([three])
    return head + words + _id_bytes(ids, rare_from, three).tobytes()


def _three_byte_prefixes(n_ids: int) -> int:
    """How many lead bytes must start 3-byte ids for `n_ids` ids to fit."""
    for three in range(_PREFIXES + 1):
        if _ONE_BYTE + (_PREFIXES - three) * 256 + three * 65536 >= n_ids:
            return three
    raise ValueError(f"{n_ids - 2:,} distinct words are more than the map can hold")


def _id_bytes(ids: np.ndarray, rare_from: int, three: int) -> np.ndarray:
    two, long = (ids >= _ONE_BYTE) & (ids < rare_from), ids >= rare_from
    sizes = np.where(long, 3, np.where(two, 2, 1))
    at = np.cumsum(sizes) - sizes
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    one = ~two & ~long
    out[at[one]] = ids[one]
    rest = ids[two] - _ONE_BYTE
    out[at[two]], out[at[two] + 1] = _ONE_BYTE + (rest >> 8), rest & 255
    rest = ids[long] - rare_from
    out[at[long]], out[at[long] + 1], out[at[long] + 2] = 256 - three + (rest >> 16), (rest >> 8) & 255, rest & 255
    return out
