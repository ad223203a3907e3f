"""Errors that end in one clear line for the user, and the exit codes."""
from __future__ import annotations

EXIT_OK = 0  # every document passes the gate
EXIT_GATE = 1  # at least one document fails the gate
EXIT_ERROR = 2  # usage, input or rule-set error


class FzError(Exception):
    """An error the user can act on; printed as one line, exit code 2."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(FzError):
    """A report file that cannot be read or is not a report."""


class RuleSetError(FzError):
    """A rule set that is invalid or cannot be compiled or run."""
