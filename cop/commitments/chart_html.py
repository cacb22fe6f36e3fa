"""The synthesis charts (SVG in a figure) and the synthesis table's lines as HTML, from `charts.by_sector`.

Written here rather than in a template: a COP's page built with every cache empty draws about 60 bars and 60 lines,
some 2,600 values; through Jinja each value was an attribute lookup, a call and an escape: about 2.8 ms of a 34 ms
build, 1.9 ms here (bench/cold_cop_page.py, each call timed), where a bar is one formatted string. Every text put
in the markup is escaped (`escape`): names and units are reference data, the numbers come from `number_writer`; the
sentences of `charts` (caption, title, description, shares) are markup already, their values escaped where they
were written. The templates call them as the filters `chart_figure` and `synthesis_lines` (`cop/filters.py`).
"""
from typing import Callable

from flask import url_for
from markupsafe import Markup, escape

from cop.commitments.charts import Chart

_BAR = (
    '        <text class="chart-label" x="0" y="{label_y}">{name} ({unit})</text>\n'
    '        <rect class="bar-unconditional" x="0" y="{bar_y}" width="{unc_w}" height="{height}"/>\n'
    '        <rect class="bar-conditional" x="{cond_x}" y="{bar_y}" width="{cond_w}" height="{height}"/>\n'
    '        <rect class="bar-gap" x="{gap_x}" y="{bar_y}" width="{gap_w}" height="{height}"/>\n'
    '        <text class="chart-value" x="0" y="{text_y}">{shares}</text>\n'
)

_LINE = (
    '        <tr>\n'
    '          <th scope="row"><a href="{href}">{sector}</a></th>\n'
    '          <td>{name} ({unit})</td>\n'
    '          <td class="num">{target}{year}</td>\n'
    '          <td class="num">{unconditional}</td>\n'
    '          <td class="num">{conditional}</td>\n'
    '          <td class="num">{gap_unconditional}</td>\n'
    '          <td class="num">{gap_conditional}</td>\n'
    '          <td class="num">{parties}</td>\n'
    '        </tr>\n'
)


def figure(chart: Chart) -> Markup:
    """One filière's stacked-bar chart: a figure with its caption, and an SVG with a title and a text description
    (the same figures are in the table under it)."""
    cid = escape(f"graphique-{chart.sector.code}")
    height = chart.bar_height
    bars = "".join(
        _BAR.format(label_y=bar.label_y, name=escape(bar.text.name), unit=escape(bar.text.unit), bar_y=bar.bar_y,
                    unc_w=bar.unc_w, cond_x=bar.cond_x, cond_w=bar.cond_w, gap_x=bar.gap_x, gap_w=bar.gap_w,
                    height=height, text_y=bar.text_y, shares=escape(bar.text.shares))
        for bar in chart.bars)
    return Markup(  # nosec B704  (every value escaped above; the sentences are markup from `charts`)
        f'  <figure class="chart" aria-labelledby="{cid}-legende">\n'
        f'    <figcaption class="chart-title" id="{cid}-legende">{escape(chart.caption)}</figcaption>\n'
        f'    <svg viewBox="0 0 {chart.width} {chart.height}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{cid}-titre {cid}-desc">\n'
        f'      <title id="{cid}-titre">{escape(chart.title)}</title>\n'
        f'      <desc id="{cid}-desc">{escape(chart.description)}</desc>\n'
        f'{bars}'
        f'    </svg>\n'
        f'  </figure>\n')


def lines(charts: list[Chart], href: Callable[[object], str]) -> Markup:
    """The synthesis table's lines of those charts, one per bar: the filière (a link to `href(sector)`), the
    indicator, the target and its year, the pledges without and with conditions, the gaps and the parties."""
    out = []
    for chart in charts:
        link, sector = escape(href(chart.sector)), escape(chart.sector.name)
        for bar in chart.bars:
            text, year = bar.text, bar.row.target_year
            out.append(_LINE.format(
                href=link, sector=sector, name=escape(text.name), unit=escape(text.unit), target=escape(text.target),
                year=f" ({escape(year)})" if year else "", unconditional=escape(text.unconditional),
                conditional=escape(text.conditional), gap_unconditional=escape(text.gap_unconditional),
                gap_conditional=escape(text.gap_conditional), parties=escape(text.parties)))
    return Markup("".join(out))  # nosec B704  (every value escaped above)


def public_lines(charts: list[Chart], conference_id: int) -> Markup:
    """`lines` whose filières link to their public page in that COP (the filter `synthesis_lines`)."""
    return lines(charts, lambda sector: url_for("public.sector", conference_id=conference_id,
                                                sector_code=sector.code))
