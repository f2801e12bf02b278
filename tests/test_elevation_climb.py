"""Ascent and descent with the documented hysteresis."""

from __future__ import annotations

import pytest

from radweg.elevation import climb, hysteresis


def test_hysteresis_ignores_noise_below_the_threshold() -> None:
    noisy = [100.0, 101.0, 100.0, 102.0, 100.5, 101.5, 100.0]
    assert hysteresis(noisy, 3.0) == (0.0, 0.0)
    assert hysteresis([100.0, 110.0, 105.0, 120.0, 100.0], 3.0) == (25.0, 25.0)


def test_climb_of_a_line_without_and_with_missing_elevations() -> None:
    assert climb([(11.0, 51.0), (11.01, 51.0)]) is None
    line = [(11.0, 51.0, 100.0), (11.01, 51.0), (11.02, 51.0, 150.0), (11.03, 51.0, 120.0)]
    c = climb(line)
    assert c is not None
    assert c.ascent_m == pytest.approx(50.0, abs=3.0) and c.descent_m == pytest.approx(30.0, abs=3.0)
    assert c.min_m == 100.0 and c.max_m == 150.0
