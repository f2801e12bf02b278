"""folium elements of our own: a map without the CDN extras we do not use, raw HTML blocks, the init call."""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from folium.template import Template


class OfflineMap(folium.Map):
    """A folium map that loads only Leaflet itself.

    folium's default jQuery, Bootstrap, glyphicons, Font Awesome and
    awesome-markers are left out: radweg draws its own SVG icons and builds
    popups without jQuery.
    """

    default_js = [(name, url) for name, url in folium.Map.default_js if name == "leaflet"]
    default_css = [(name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]


class HtmlBlock(Element):
    """HTML placed in the page body as it is. Callers escape everything that comes from data.

    A branca ``Element`` would compile its text as a Jinja template, so that
    ``{{ … }}`` in a POI name would be evaluated; here the text is a value that
    a fixed template prints.
    """

    _template = Template("{{ this.content }}")

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "HtmlBlock"
        self.content = html


class RadwegInit(MacroElement):
    """Calls ``radweg.init(map, groups, options)`` after all groups exist (see static/radweg.js).

    ``groups`` maps the keys used in the map data to folium layers; the call
    passes the layers' JavaScript variables.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        radweg.init({{ this._parent.get_name() }}, {
        {%- for key, layer in this.groups.items() %}
            {{ key|tojson }}: {{ layer.get_name() }},
        {%- endfor %}
        }, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, groups: dict[str, object], **options: object) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "RadwegInit"
        self.groups = groups
        self.options = options
