"""Plain-text rendering of single values, shared by CLI tables and text reports."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cell(value: Any) -> str:
    """A value as table text: empty for None, yes/no for booleans, one decimal for floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def coordinate(value: float) -> str:
    """A longitude or latitude as text: 6 decimals (about 0.1 m), as stored in the data files."""
    return f"{value:.6f}"


def printable(text: str) -> str:
    """Text from people or OSM, safe for a terminal or a log line: control and bidi characters become '?'."""
    return _CONTROL.sub("?", text).replace("\n", " ").replace("\t", " ")


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for messages that echo user input."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
