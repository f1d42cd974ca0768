"""Confirmation of destructive calls: a short-lived token bound to the tool and exactly what the call sends."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

CONFIRMATION_FIELD = "confirmation"
CONFIRMATION_TTL_SECONDS = 300


class Confirmations:
    """Signs and checks confirmation tokens; the secret may be shared by several processes (stateless HTTP)."""

    def __init__(self, secret: bytes | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._clock = clock

    @classmethod
    def from_setting(cls, secret: str | None) -> Confirmations:
        """Keyed by MAKE_CONFIRM_SECRET when set, so every process that shares it accepts the others' tokens."""
        return cls(hashlib.sha256(secret.encode()).digest() if secret else None)

    def for_subject(self, subject: str) -> Confirmations:
        """Tokens that confirm only calls of one caller: another caller's identical call does not accept them."""
        key = hmac.new(self._secret, b"subject\0" + subject.encode(), hashlib.sha256).digest()
        return Confirmations(key, clock=self._clock)

    def issue(self, tool: str, effect: Mapping[str, Any]) -> str:
        """A token for this tool doing `effect` (the request it sends)."""
        expires = int(self._clock()) + CONFIRMATION_TTL_SECONDS
        return f"{expires}.{self._signature(tool, effect, expires)}"

    def check(self, token: str, tool: str, effect: Mapping[str, Any]) -> str | None:
        """None when the token confirms this exact call; otherwise why it does not."""
        expires_text, _, signature = token.partition(".")
        if not expires_text.isdigit() or not signature:
            return "the confirmation token is malformed"
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
