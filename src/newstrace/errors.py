"""Error and rejection codes.

Codes are stable strings so users can search for them, tests can assert on them and the
report can count them. A rejection says *why* an input item did not become an article; an
``NewstraceError`` is a failure of the run itself (bad arguments, an unusable database).
"""

from __future__ import annotations

from enum import IntEnum

#: Reasons an input item is rejected. Keys are the codes stored and reported.
REASONS: dict[str, str] = {
    "unreadable": "the file or directory could not be opened or read (permissions, I/O error, vanished, broken link)",
    "empty": "the item holds no text once markup and whitespace are removed",
    "too-short": "the item holds fewer words than the configured minimum",
    "too-large": "the item is larger than the configured size limit",
    "binary": "the item is binary data, not text in any detected encoding",
    "decode-error": "the bytes could not be decoded as text in any detected encoding",
    "truncated": "the item ends before its format says it should (cut-off download or copy)",
    "parse-error": "the item is not valid in the format it claims or appears to be (or reading it failed unexpectedly)",
    "no-text-field": "a JSON record has no text field under any configured name",
    "unsupported": "the item is in a format newstrace does not read (PDF, ZIP, images, a FIFO or device, deep gzip)",
}


class ExitCode(IntEnum):
    """Process exit codes of the ``newstrace`` command (documented in the README)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NO_INPUT = 3
    DATABASE = 4
    REJECTIONS = 5


class NewstraceError(Exception):
    """A failure of the run itself, carrying the exit code the CLI should return."""

    exit_code: ExitCode = ExitCode.ERROR


class DatabaseError(NewstraceError):
    """The database cannot be used (locked, corrupt, newer schema than this code)."""

    exit_code = ExitCode.DATABASE


class UsageError(NewstraceError):
    """The arguments do not describe a run that can be done."""

    exit_code = ExitCode.USAGE


class MissingDependencyError(NewstraceError):
    """An optional extra (``web``, ``ray``) is needed for this step but not installed."""
