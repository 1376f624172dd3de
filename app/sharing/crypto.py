"""The workspace key, the invitation code that carries it, and sealing change-set files.

Files are encrypted and authenticated with ChaCha20-Poly1305 (`cryptography`), the file's
header as associated data: a file that was changed, cut short or made with another key fails
to open and is refused; nothing of it is applied.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from app.sharing.model import MAX_DEVICES, SharingError

KEY_BYTES = 32
NONCE_BYTES = 12
CODE_PREFIX = "CD1"
_CODE_VERSION = 1


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def new_workspace_id() -> str:
    return os.urandom(8).hex()


def seal(key: bytes, header: bytes, payload: bytes) -> bytes:
    """nonce + ciphertext of the compressed payload, bound to `header`."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, zlib.compress(payload, 6), header)


def unseal(key: bytes, header: bytes, sealed: bytes, *, what: str) -> bytes:
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return zlib.decompress(ChaCha20Poly1305(key).decrypt(nonce, body, header))
    except (InvalidTag, ValueError, zlib.error):
        raise SharingError(
            f"{what} was changed, is damaged, or was made with another workspace's key; "
            "it was refused and nothing in it was applied."
        ) from None


def invitation_code(key: bytes, workspace_id: str, device: int) -> str:
    """What a teammate types or scans to join: the key, the workspace and their device number.
    Grouped in fives for reading aloud; a checksum catches a mistyped letter."""
    body = bytes([_CODE_VERSION, device]) + bytes.fromhex(workspace_id) + key
    check = hashlib.sha256(body).digest()[:4]
    text = base64.b32encode(body + check).decode("ascii").rstrip("=")
    return CODE_PREFIX + "-" + "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def read_invitation(code: str) -> tuple[bytes, str, int]:
    """(key, workspace id, device) from an invitation code, or one sentence saying it is wrong."""
    cleaned = "".join(code.upper().split()).replace("-", "")
    if not cleaned.startswith(CODE_PREFIX):
        raise SharingError("That is not a Crisis Desk invitation code (it starts with CD1-).")
    text = cleaned[len(CODE_PREFIX) :]
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raise SharingError(
            "The invitation code has a letter that cannot be in it; check it."
        ) from None
    body, check = raw[:-4], raw[-4:]
    if len(body) != 2 + 8 + KEY_BYTES or hashlib.sha256(body).digest()[:4] != check:
        raise SharingError("The invitation code is mistyped or incomplete; check it and try again.")
    version, device = body[0], body[1]
    if version != _CODE_VERSION or not 0 < device < MAX_DEVICES:
        raise SharingError("The invitation code is from a newer Crisis Desk; update to join.")
    return body[10:], body[2:10].hex(), device
