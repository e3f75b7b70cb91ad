"""The canonical JSON text of a stored JSON column, as the chain hashes it: the text the database hands
back, parsed as Django's JSONField parses it (json.loads) and written as chain._json writes it
(json.dumps with sort_keys, ensure_ascii=False and compact separators).

The verifier does this once per distinct stored text, which is most rows' `after`; json.loads and
JSONEncoder.encode each go through a few Python frames (and the encoder is built again per call) around
the C scanner and encoder, so this calls those directly, built once with JSONEncoder's own arguments.
Where the C accelerator is missing, or the text is more than one JSON value, the plain calls do it.
"""

import json
import json.encoder

from qingshen.trail import chain

_encoder = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_scan = json.JSONDecoder().scan_once  # the C scanner when there is one (json.scanner.c_make_scanner)
_make_encoder = json.encoder.c_make_encoder
_write_c = (
    _make_encoder(
        {},  # markers: check_circular, as JSONEncoder.iterencode; emptied again after each value
        _encoder.default,
        json.encoder.encode_basestring,
        None,
        _encoder.key_separator,
        _encoder.item_separator,
        _encoder.sort_keys,
        _encoder.skipkeys,
        _encoder.allow_nan,
    )
    if _make_encoder is not None
    else None
)


def _loaded(text: str):
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        end = -1
    if end != len(text):  # not exactly one value from the first character: json.loads decides
        value = json.loads(text)
    return value


def canonical_of_stored(stored) -> str:
    """The canonical JSON text of a JSON column's value as the database returns it (text; a value
    the driver already parsed is written as it is)."""
    if stored is None:
        return "null"
    value = _loaded(stored) if isinstance(stored, str) else stored
    if _write_c is None or type(value) is str:
        return chain._json(value)
    return "".join(_write_c(value, 0))
