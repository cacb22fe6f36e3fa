"""Geometry of the synthesis charts: one stacked bar per indicator (unconditional, conditional, remaining gap)."""
from decimal import Decimal

WIDTH = 600
BAR = 18
ROW = 58
TOP = 8


def _bar(row, y: int) -> dict:
    """The segments of one bar, each scaled to the larger of the target and the pledges with conditions."""
    target = row.target or Decimal(0)
    scale = max(target, row.conditional)
    unit = Decimal(WIDTH) / scale if scale else Decimal(0)
    unc_w = float(row.unconditional * unit)
    cond_w = float((row.conditional - row.unconditional) * unit)
    gap_w = float(max(target - row.conditional, Decimal(0)) * unit)
    return {
        "row": row, "label_y": y + 12, "bar_y": y + 18, "text_y": y + 50,
        "unc_w": round(unc_w, 1), "cond_x": round(unc_w, 1), "cond_w": round(cond_w, 1),
        "gap_x": round(unc_w + cond_w, 1), "gap_w": round(gap_w, 1),
        "share_unc": float(row.unconditional / target * 100) if target else None,
        "share_cond": float(row.conditional / target * 100) if target else None,
    }


def by_sector(rows) -> list[dict]:
    """One chart per filière that has a target or a pledge, with its bars laid out top to bottom."""
    charts: dict[int, dict] = {}
    for row in rows:
        chart = charts.setdefault(row.sector.id, {"sector": row.sector, "bars": []})
        chart["bars"].append(_bar(row, TOP + ROW * len(chart["bars"])))
    for chart in charts.values():
        chart["height"] = TOP + ROW * len(chart["bars"]) + 4
        chart["width"] = WIDTH
        chart["bar_height"] = BAR
    return list(charts.values())
