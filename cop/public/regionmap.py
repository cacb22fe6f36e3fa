"""The map of the regions on the home page: committed outlines, overseas insets, one link per region."""
import json
from functools import lru_cache
from pathlib import Path

MAP_FILE = Path(__file__).resolve().parents[2] / "seeds" / "data" / "region_map.json"
#: Overseas regions (INSEE code) drawn as labelled insets down the left edge, in this order.
OVERSEAS = ("01", "02", "03", "04", "06")
INSET = {"x": 22, "y": 318, "width": 118, "height": 44, "gap": 8}


@lru_cache(maxsize=1)
def outlines() -> dict:
    """The committed map: viewBox and the metropolitan outlines keyed by INSEE code."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def insets() -> dict[str, dict]:
    """Box and label position of each overseas inset, keyed by INSEE code."""
    out = {}
    for index, code in enumerate(OVERSEAS):
        y = INSET["y"] + index * (INSET["height"] + INSET["gap"])
        out[code] = {"x": INSET["x"], "y": y, "width": INSET["width"], "height": INSET["height"],
                     "text_x": INSET["x"] + INSET["width"] / 2, "text_y": y + INSET["height"] / 2 + 5}
    return out
