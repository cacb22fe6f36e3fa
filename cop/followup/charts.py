"""Trajectory charts as geometry for inline SVG: target, pledged and achieved paths over the years."""
from dataclasses import dataclass
from decimal import Decimal

from cop.followup.stocktake import Line

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36


@dataclass
class Series:
    """One path (dash pattern and marker differ, not only the colour): its line and its data points."""

    key: str
    label: str
    points: list[tuple[float, float]]
    markers: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        """The `points` attribute of an SVG polyline."""
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def _scale(line: Line):
    """Functions mapping a year and a value to SVG coordinates, and the top of the value axis."""
    values = [line.target or 0, line.pledged, *line.targets.values(), *line.achieved.values()]
    top = max(values) * Decimal("1.1") or Decimal(1)
    first, last = line.years[0], line.years[-1]
    span = max(last - first, 1)

    def x(year: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / span

    def y(value: Decimal) -> float:
        return TOP + float((HEIGHT - TOP - BOTTOM) * (1 - value / top))

    return x, y, top


def chart(line: Line) -> dict:
    """Axes, ticks and the three series of one filière × indicator."""
    x, y, top = _scale(line)
    goals = [(x(yr), y(v)) for yr, v in sorted(line.targets.items())]
    # A single target is drawn as a level across the years, its marker at its own year.
    level = [(x(line.years[0]), goals[0][1]), (x(line.years[-1]), goals[0][1])] if len(goals) == 1 else goals
    achieved = [(x(yr), y(v)) for yr, v in sorted(line.achieved.items())]
    series = [
        Series("target", "Objectif régional", level, goals),
        Series("pledged", "Trajectoire engagée", [(x(yr), y(line.pledged_by_year[yr])) for yr in line.years], []),
        Series("achieved", "Réalisé (déclaré)", achieved, achieved),
    ]
    step = max(1, len(line.years) // 8)
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "x_ticks": [(x(yr), yr) for yr in line.years[::step]],
        "y_ticks": [(y(top * k / 4), top * k / 4) for k in range(5)],
        "series": [s for s in series if s.points],
    }
