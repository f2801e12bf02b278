"""Where generated files may go: never outside the chosen output folder, whatever a name contains."""

from __future__ import annotations

from pathlib import Path

from radweg.errors import OutputPathError


def inside(root: Path, rel: str) -> Path:
    """``root/rel`` resolved (symlinks followed), or OutputPathError when it would land outside ``root``."""
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or target == base:
        raise OutputPathError(f"{rel}: would be written outside the output folder {root}")
    return target
