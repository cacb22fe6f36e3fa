"""Write the schematic tile map of the regions (seeds/data/region_map.json) used on the home page.

Each metropolitan region is a tile placed on a grid roughly as the regions lie on the ground (a "carte en
tuiles", as newsrooms draw them): equal weight for every region, readable at any size, and our own work, published
under Licence Ouverte 2.0 like the other seeds. The five overseas regions are drawn by the portal as labelled insets.

Usage: python seeds/derive_region_map.py   (standard library only; the output is deterministic)
"""
import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "data" / "region_map.json"
ORIGIN_X, ORIGIN_Y, CELL_W, CELL_H, GAP = 160, 10, 100, 86, 6
#: INSEE code: (short label, column, row, width in cells, height in cells).
TILES = {
    "32": ("HDF", 3, 0, 1, 1),
    "28": ("NOR", 2, 1, 1, 1),
    "11": ("IDF", 3, 1, 1, 1),
    "44": ("GES", 4, 1, 1, 2),
    "53": ("BRE", 0, 2, 1, 1),
    "52": ("PDL", 1, 2, 1, 1),
    "24": ("CVL", 2, 2, 1, 1),
    "27": ("BFC", 3, 2, 1, 1),
    "75": ("NAQ", 1, 3, 2, 1),
    "84": ("ARA", 3, 3, 1, 1),
    "76": ("OCC", 1, 4, 2, 1),
    "93": ("PACA", 3, 4, 1, 1),
    "94": ("COR", 4, 5, 1, 1),
}


def tile(col: int, row: int, width: int, height: int) -> dict:
    """The rounded rectangle path of a tile and the point its label is centred on."""
    x, y = ORIGIN_X + col * (CELL_W + GAP), ORIGIN_Y + row * (CELL_H + GAP)
    w, h, r = width * CELL_W + (width - 1) * GAP, height * CELL_H + (height - 1) * GAP, 6
    path = (f"M{x + r},{y}h{w - 2 * r}a{r},{r} 0 0 1 {r},{r}v{h - 2 * r}a{r},{r} 0 0 1 -{r},{r}"
            f"h-{w - 2 * r}a{r},{r} 0 0 1 -{r},-{r}v-{h - 2 * r}a{r},{r} 0 0 1 {r},-{r}z")
    return {"path": path, "label_x": x + w / 2, "label_y": y + h / 2 + 6}


def build() -> dict:
    """The whole map: viewBox and one tile per metropolitan region."""
    regions = {code: {"label": label, **tile(col, row, width, height)}
               for code, (label, col, row, width, height) in TILES.items()}
    return {"kind": "tiles", "licence": "Licence Ouverte 2.0", "viewBox": "0 0 700 590", "regions": regions}


if __name__ == "__main__":
    OUTPUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"écrit : {OUTPUT}")
