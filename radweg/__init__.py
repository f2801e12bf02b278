"""radweg: plan and publish a themed cycle route (the Kupferspuren-Radweg in Mansfeld-Südharz)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("radweg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
