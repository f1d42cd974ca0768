"""One finding of a blueprint check: what is wrong, where, and how to fix it.

Severity means one thing each: an `error` is what Make refuses or what cannot run as written
(an unknown module or version, a wrong type, a reference that cannot resolve, a malformed filter,
an ID that does not exist); a `warning` is what the person still has to fill or choose (a connection
not yet picked, a required field left empty, a webhook to attach), which Make accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    moduleId: int | None  # the name the answer uses
    path: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "moduleId": self.moduleId,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
        }


def has_errors(findings: list[Finding]) -> bool:
    """A blueprint is valid when no finding is an error."""
    return any(finding.severity == "error" for finding in findings)
