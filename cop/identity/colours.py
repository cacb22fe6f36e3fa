"""Colours: parsing "#rrggbb", the WCAG 2.1 contrast ratio, a darker shade for hover states."""
import re

#: WCAG 2.1 AA for normal text (links, white text on the brand colour).
AA_RATIO = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def parse(text: str) -> tuple[int, int, int]:
    """The red, green and blue of "#rrggbb"; ValueError otherwise."""
    if not HEX.match(text or ""):
        raise ValueError(text)
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def _luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance as WCAG 2.1 defines it."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str = "#ffffff") -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((_luminance(parse(first)), _luminance(parse(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def darker(text: str, factor: float = 0.75) -> str:
    """The same hue, darker (hover and pressed states)."""
    return "#" + "".join(f"{round(v * factor):02x}" for v in parse(text))
