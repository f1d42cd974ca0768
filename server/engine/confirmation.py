"""Confirmation of destructive calls: a short-lived token bound to the tool and exactly what the call sends."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger("make_mcp.confirmation")

CONFIRMATION_FIELD = "confirmation"
CONFIRMATION_TTL_SECONDS = 300
KEY_FILE_NAME = "confirmation.key"
KEY_BYTES = 32

SIGNED_ELSEWHERE = (
    "the confirmation token was signed by another make-mcp server (one started since, another process, or "
    "another user's); ask again"
)


class Confirmations:
    """Signs and checks confirmation tokens; the secret may be shared by several processes (stateless HTTP).

    A token is `<expires>.<key id>.<signature>`: the key id tells a token of another key (another process, a
    restart with a new key, another caller) from one of this key for another call.
    """

    def __init__(self, secret: bytes | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret or secrets.token_bytes(KEY_BYTES)
        self._clock = clock
        key_id = hmac.new(self._secret, b"key id", hashlib.sha256).digest()
        self._key_id = base64.urlsafe_b64encode(key_id[:6]).decode()

    @classmethod
    def from_setting(cls, secret: str | None) -> Confirmations:
        """Keyed by MAKE_CONFIRM_SECRET when set, so every process that shares it accepts the others' tokens."""
        return cls(hashlib.sha256(secret.encode()).digest() if secret else None)

    @classmethod
    def for_stdio(cls, secret: str | None, directory: Path) -> Confirmations:
        """MAKE_CONFIRM_SECRET when set, else the key kept in `directory`, so a confirmation issued before a
        restart (or by the process a client started for the previous call) still confirms the same call."""
        if secret:
            return cls.from_setting(secret)
        return cls(stored_key(directory))

    def for_subject(self, subject: str) -> Confirmations:
        """Tokens that confirm only calls of one caller: another caller's identical call does not accept them."""
        key = hmac.new(self._secret, b"subject\0" + subject.encode(), hashlib.sha256).digest()
        return Confirmations(key, clock=self._clock)

    def issue(self, tool: str, effect: Mapping[str, Any]) -> str:
        """A token for this tool doing `effect` (the request it sends)."""
        expires = int(self._clock()) + CONFIRMATION_TTL_SECONDS
        return f"{expires}.{self._key_id}.{self._signature(tool, effect, expires)}"

    def check(self, token: str, tool: str, effect: Mapping[str, Any]) -> str | None:
        """None when the token confirms this exact call; otherwise why it does not."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not all(parts):
            return "the confirmation token is malformed"
        expires_text, key_id, signature = parts
        if not hmac.compare_digest(key_id, self._key_id):
            return SIGNED_ELSEWHERE
        expires = int(expires_text)
        if not hmac.compare_digest(signature, self._signature(tool, effect, expires)):
            return "the confirmation token belongs to another tool or other arguments"
        if self._clock() > expires:
            return "the confirmation token has expired"
        return None

    def _signature(self, tool: str, effect: Mapping[str, Any], expires: int) -> str:
        canonical = json.dumps([tool, effect, expires], sort_keys=True, separators=(",", ":"), default=str)
        digest = hmac.new(self._secret, canonical.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()


def stored_key(directory: Path) -> bytes | None:
    """The signing key kept in `directory` (created 0600 in a 0700 directory when there is none yet).

    None, and a warning, when it can be neither read nor written: this process then signs with a key of its own.
    """
    path = directory / KEY_FILE_NAME
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as problem:
        log.warning("confirmation key %s unusable (%s): confirmations will not outlive this process", path, problem)
        return None
    try:
        return _create_key(path)
    except (OSError, ValueError) as problem:
        log.warning(
            "cannot keep a confirmation key in %s (%s): confirmations will not outlive this process", path, problem
        )
        return None


def _read_key(path: Path) -> bytes:
    key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    if len(key) != KEY_BYTES:
        raise ValueError(f"expected {KEY_BYTES * 2} hexadecimal digits")
    return key


def _create_key(path: Path) -> bytes:
    """Writes a new key to a temporary file and links it into place: of two processes starting at once, the
    second finds the first one's key whole and uses it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    key = secrets.token_bytes(KEY_BYTES)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
        os.link(temporary, path)
    except FileExistsError:
        return _read_key(path)
    finally:
        temporary.unlink(missing_ok=True)
    return key
