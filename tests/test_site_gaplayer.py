"""radweg.site.gaplayer: gaps and connectors on the map, with their figures, escaped."""

from __future__ import annotations

from radweg.gaps.connectors import Connector, ConnectorResult
from radweg.gaps.model import Gap, GapEnd
from radweg.site.gaplayer import connector_popup, gap_layer

EVIL = '<img src=x onerror="alert(1)">'


def gap(gid: str = "ct-1") -> Gap:
    return Gap(id=gid, kind="continuity", detail="tour", length_m=120.0,
               a=GapEnd(ref="segment:a:end", name=EVIL, coords=(11.0, 51.0)),
               b=GapEnd(ref="segment:b:start", name="B", coords=(11.001, 51.0)),
               line=((11.0, 51.0), (11.001, 51.0)))


def conn(alt: int = 1) -> Connector:
    return Connector("ct-1", alt, ((11.0, 51.0), (11.0005, 51.0003), (11.001, 51.0)), 150.0, 70.0, 2.14,
                     (("residential", 0.8), ("cycleway", 0.2)), (("asphalt", 1.0),), 0.0, 150.0)


def test_without_a_network_every_gap_says_it_is_a_straight_line() -> None:
    layer = gap_layer([gap()], "de", None)
    assert len(layer.gaps) == 1 and not layer.connectors
    assert "Luftlinie: kein Straßennetz geladen" in layer.gaps[0][2]
    assert "straight line: no street network loaded" in gap_layer([gap()], "en", None).gaps[0][2]


def test_connectors_with_their_figures_and_gaps_without_one_say_why() -> None:
    results = {"ct-1": ConnectorResult("ct-1", (conn(1), conn(2)), False),
               "ct-2": ConnectorResult("ct-2", (), True, "the street network does not cover this gap: …")}
    layer = gap_layer([gap("ct-1"), gap("ct-2")], "de", results, "li")
    assert [c[0] for c in layer.connectors] == ["ct-1 #1", "ct-1 #2"]
    popup = layer.connectors[0][2]
    # German number format (non-breaking space before the unit, decimal comma)
    for text in ("150\xa0m", "70\xa0m", "2,14", "residential 80 %", "asphalt 100 %", "li", "Variante 1"):
        assert text in popup, text
    english = gap_layer([gap("ct-1")], "en", results, "li").connectors[0][2]
    assert "2.14" in english and "Alternative 1" in english
    notes = {g[2].count("keine Verbindung im Straßennetz") for g in layer.gaps}
    assert notes == {0, 1} and "does not cover" in layer.gaps[1][2]


def test_names_are_escaped() -> None:
    layer = gap_layer([gap()], "de", {"ct-1": ConnectorResult("ct-1", (conn(),), False)}, EVIL)
    html = layer.gaps[0][2] + layer.connectors[0][2] + connector_popup(EVIL, conn(), "en", EVIL)
    assert "<img" not in html and "&lt;img" in html
