"""The sleep every waiting part takes as a parameter, so that tests run it on a fake clock."""

from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]
