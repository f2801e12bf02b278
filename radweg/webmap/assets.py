"""Scripts and stylesheets for the map, carried with it so that it works offline.

Decision: folium names each library by a CDN URL. Their contents come from the
Python package ``folium-offline`` (MIT, a PyPI dependency installed with
radweg), which ships the same files for the same folium release, keyed by
those URLs. Nothing is fetched at build time and no third-party code is kept
in this repository. radweg's own ``radweg.js`` and ``radweg.css`` come from
``radweg/webmap/static``.

A map is written either with every asset inlined (one self-contained file) or
with ``assets/NAME`` links and the files beside it (the site).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from radweg.errors import RadwegError

OWN_ASSETS = ("radweg.css", "radweg.js")

_SCRIPT = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
_STYLE = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"/>')


class AssetError(RadwegError):
    """A script or stylesheet the map needs is not available offline."""


@dataclass(frozen=True)
class Asset:
    name: str
    kind: str  # "js" or "css"
    data: bytes
    source: str


def _bundle() -> dict[str, str]:
    try:
        from offlinefolium import elements
    except ImportError as exc:  # pragma: no cover - a broken install
        raise AssetError("the map's scripts come from the Python package 'folium-offline', which is not "
                         "installed; run: pip install folium-offline") from exc
    table = getattr(elements, "_res", None)
    if not isinstance(table, dict):  # pragma: no cover - a changed package layout
        raise AssetError("the installed 'folium-offline' has no resource table; install folium-offline 0.20.x")
    return table


def own_asset(name: str) -> bytes:
    """One of radweg's own files (radweg.css, radweg.js)."""
    return resources.files("radweg.webmap").joinpath("static", name).read_bytes()


def _file_name(url: str, kind: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", url.rstrip("/").rsplit("/", 1)[-1]) or "asset"
    if not base.endswith("." + kind):
        base += "." + kind
    name, n = base, 2
    while name in taken:
        name = f"{n}-{base}"
        n += 1
    taken.add(name)
    return name


def stable_ids(root: Any) -> None:
    """Replace folium's random element ids by numbers in tree order, for byte-identical output."""
    counter = 0

    def walk(el: Any) -> None:
        nonlocal counter
        el._id = f"{counter:04d}"
        counter += 1
        for child in list(getattr(el, "_children", {}).values()):
            walk(child)

    walk(root)


def _inline(kind: str, text: str, source: str) -> str:
    closing = "</script" if kind == "js" else "</style"
    if closing in text.lower():
        text = re.sub(re.escape(closing), "<\\" + closing[1:], text, flags=re.IGNORECASE)
    tag = "script" if kind == "js" else "style"
    return f"<{tag}>/* {source} */\n{text}\n</{tag}>"


def localise(html: str, *, inline: bool, prefix: str = "assets/") -> tuple[str, list[Asset]]:
    """Point every script and stylesheet at a local copy (or inline it); return the page and the files.

    Raises AssetError naming the URL when a library is not available offline.
    """
    bundle = _bundle()
    assets: list[Asset] = []
    taken: set[str] = set(OWN_ASSETS)

    def replace(kind: str) -> Callable[[re.Match[str]], str]:
        def fn(match: re.Match[str]) -> str:
            url = match.group("url")
            if not url.startswith(("http://", "https://")):
                return match.group(0)
            text = bundle.get(url)
            if text is None:
                raise AssetError(f"no offline copy of {url} in folium-offline; "
                                 "install the folium-offline release that matches folium")
            if inline:
                return _inline(kind, text, url)
            name = _file_name(url, kind, taken)
            assets.append(Asset(name, kind, text.encode("utf-8"), url))
            return (f'<script src="{prefix}{name}"></script>' if kind == "js"
                    else f'<link rel="stylesheet" href="{prefix}{name}"/>')
        return fn

    html = _SCRIPT.sub(replace("js"), html)
    html = _STYLE.sub(replace("css"), html)
    own = []
    for name in OWN_ASSETS:
        kind = name.rsplit(".", 1)[1]
        data = own_asset(name)
        if inline:
            own.append(_inline(kind, data.decode("utf-8"), name))
        else:
            assets.append(Asset(name, kind, data, "radweg"))
            own.append(f'<script src="{prefix}{name}"></script>' if kind == "js"
                       else f'<link rel="stylesheet" href="{prefix}{name}"/>')
    html = html.replace("</head>", "\n".join(own) + "\n</head>", 1)
    return html, assets
