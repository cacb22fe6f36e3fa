"""The synthesis charts' figures and sentences, written once in Python (cop/commitments/charts.py), say exactly what
the templates' number filter and _() said at each chart and bar, in French and in English, escaped alike."""
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from cop.commitments import chart_html, charts
from cop.commitments.synthesis import Row
from cop.filters import number, number_writer
from cop.reference.models import Indicator, Sector

#: What public/_chart_figure.html and public/_synthesis_rows.html wrote before the figures were written once: the
#: reference each chart's written text must match, byte for byte.
REFERENCE = (
    """{{ _("Filière %(sector)s", sector=chart.sector.name) }}|"""
    """{{ _("%(sector)s : engagements face à l’objectif régional", sector=chart.sector.name) }}|"""
    """{% for bar in chart.bars %}{% set r = bar.row %}{% set d = r.indicator.decimals %}"""
    """{{ r.indicator.name }} : {{ r.unconditional|number(d) }} {{ r.indicator.unit }} {{ _("sans condition") }}, """
    """{{ r.conditional|number(d) }} {{ _("avec conditions") }}"""
    """{% if r.target is not none %}, {{ _("objectif") }} {{ r.target|number(d) }}"""
    """{% else %}, {{ _("sans objectif régional") }}{% endif %}. {% endfor %}"""
    """{% for bar in chart.bars %}{% set r = bar.row %}{% set d = r.indicator.decimals %}"""
    """|{{ r.indicator.name }} ({{ r.indicator.unit }})|{% if bar.share_unc is not none %}"""
    """{{ _("%(unc)s %% de l’objectif sans condition, %(cond)s %% avec conditions", """
    """unc=bar.share_unc|number, cond=bar.share_cond|number) }}"""
    """{% else %}{{ _("Pas d’objectif régional pour cet indicateur") }}{% endif %}"""
    """|{{ r.target|number(d) }}|{{ r.unconditional|number(d) }}|{{ r.conditional|number(d) }}"""
    """|{{ r.gap_unconditional|number(d) }}|{{ r.gap_conditional|number(d) }}|{{ r.parties|number }}{% endfor %}""")

WRITTEN = (
    """{{ chart.caption }}|{{ chart.title }}|{{ chart.description }}{% for bar in chart.bars %}{% set t = bar.text %}"""
    """|{{ t.name }} ({{ t.unit }})|{{ t.shares }}|{{ t.target }}|{{ t.unconditional }}|{{ t.conditional }}"""
    """|{{ t.gap_unconditional }}|{{ t.gap_conditional }}|{{ t.parties }}{% endfor %}""")


def _rows() -> list[Row]:
    """Lines of two filières, with names to escape, decimals, a target missing, pledges beyond the target."""
    wood = Sector(id=1, code="bois", name_fr="Bois & <forêt>", name_en="Wood & <forest>", position=1)
    water = Sector(id=2, code="eau", name_fr="Eau", name_en="", position=2)
    jobs = Indicator(id=1, code="emplois", name_fr="Emplois « directs » & <autres>", name_en="Direct & <other> jobs",
                     unit_fr="emplois", unit_en="jobs", decimals=0, position=1)
    tonnes = Indicator(id=2, code="co2", name_fr="CO2 évité", name_en="CO2 avoided", unit_fr="t & <co2>",
                       unit_en="", decimals=2, position=2)
    return [Row(wood, jobs, Decimal("12500"), 2030, Decimal("1234.56"), Decimal("20000.4"), 3),
            Row(wood, tonnes, None, None, Decimal("-1234567.891"), Decimal("0.005"), 1),
            Row(water, tonnes, Decimal("999.995"), 2028, Decimal("0"), Decimal("0"), 0),
            Row(water, jobs, Decimal("3"), 2030, Decimal("2"), Decimal("2.5"), 12345)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_written_once_says_what_the_templates_said(app, lang):
    with app.test_request_context(), force_locale(lang):
        drawn = charts.by_sector(_rows())
        assert [len(chart.bars) for chart in drawn] == [2, 2]
        for chart in drawn:
            written = render_template_string(WRITTEN, chart=chart)
            assert written == render_template_string(REFERENCE, chart=chart)
        # The names are the reader's language, escaped once.
        name = {"fr": "Bois &amp; &lt;forêt&gt;", "en": "Wood &amp; &lt;forest&gt;"}[lang]
        assert name in render_template_string(WRITTEN, chart=drawn[0])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_number_writer_writes_as_the_filter(app, lang):
    values = [None, 0, 7, -1000, 1234567, 12.5, 59.6, -0.25, Decimal("1234567.891"), Decimal("-0.001"),
              Decimal("999.995"), Decimal("1E+3")]
    with app.test_request_context(), force_locale(lang):
        write = number_writer()
        for decimals in (0, 1, 2, 7):
            assert [write(v, decimals) for v in values] == [number(v, decimals) for v in values]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_charts_and_lines_are_drawn_with_every_text_escaped(app, lang):
    """`chart_html` writes the SVG chart and the table's lines: names, units, codes and links escaped once, the
    sentences (markup, their values escaped when written) as they are, each bar's geometry and figures in place."""
    with app.test_request_context(), force_locale(lang):
        drawn = charts.by_sector(_rows())
        wood = drawn[0]
        wood.sector.code = 'bois"><script>'
        figure = chart_html.figure(wood)
        lines = chart_html.lines(drawn, lambda sector: f"/filieres/{sector.code}?a=1&b=2")
    name = {"fr": "Bois &amp; &lt;forêt&gt;", "en": "Wood &amp; &lt;forest&gt;"}[lang]
    assert "<script>" not in figure and "<script>" not in lines and "<forêt>" not in figure + lines
    assert 'id="graphique-bois&#34;&gt;&lt;script&gt;-legende"' in figure
    assert f">{wood.caption}</figcaption>" in figure and "<title id=" in figure and str(wood.description) in figure
    assert figure.count("<text class=\"chart-label\"") == 2 and figure.count("<rect ") == 6
    bar = wood.bars[0]
    assert (f'<rect class="bar-conditional" x="{bar.cond_x}" y="{bar.bar_y}" width="{bar.cond_w}" height="18"/>'
            in figure)
    assert f"{bar.text.shares}</text>" in figure
    assert lines.count("<tr>") == 4 and f">{name}</a></th>" in lines
    assert 'href="/filieres/bois&#34;&gt;&lt;script&gt;?a=1&amp;b=2"' in lines
    assert f'<td class="num">{bar.text.target} (2030)</td>' in lines
    assert f'<td class="num">{wood.bars[1].text.target}</td>' in lines  # no target, no year
