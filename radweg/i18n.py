"""Numbers for people, in the page's language: one formatter for pages, popups, profiles, legend and GPX.

Babel's CLDR data decides the decimal sign and the digit grouping, so German
reads "61,0 km" and "1.234 m", English "61.0 km" and "1,234 m". Babel is
imported on first use.
"""

from __future__ import annotations

LOCALES = {"de": "de_DE", "en": "en_GB"}
"""The CLDR locale of each language (Babel's data): '61,0 km' and '1.234 m' in German, '61.0 km' in English."""

NBSP = "\u00a0"


def number(lang: str, value: float, decimals: int = 0) -> str:
    """A number with the language's decimal sign and digit grouping (Babel, CLDR), rounded to ``decimals``."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no '-0'
    return str(format_decimal(rounded, format=pattern, locale=LOCALES.get(lang, LOCALES["de"]),
                              decimal_quantization=True))


def km(lang: str, value_km: float, *, sep: str = NBSP) -> str:
    """A length in km with one decimal: '61,0 km' (de), '61.0 km' (en)."""
    return f"{number(lang, value_km, 1)}{sep}km"


def metres(lang: str, value_m: float, *, decimals: int = 0, sep: str = NBSP) -> str:
    """A height or distance in metres: '1.234 m' (de), '1,234 m' (en)."""
    return f"{number(lang, value_m, decimals)}{sep}m"
