"""Exit statuses of the ``radweg`` command, a contract for scripts and CI."""

from __future__ import annotations


class ExitCode:
    """Exit statuses, a contract for scripts and CI."""

    OK = 0
    ERROR = 1
    USAGE = 2
    GAPS_FOUND = 3
    INTERRUPTED = 130
