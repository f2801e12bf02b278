"""Plain-text rendering of single values, shared by CLI tables and text reports."""

from __future__ import annotations

from typing import Any


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


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for messages that echo user input."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
