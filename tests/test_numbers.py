"""Numbers as people type them: French and international notations, and the ambiguous ones refused."""
from decimal import Decimal

import pytest

from cop.conferences.targets import parse_value
from cop.numbers import parse_decimal


@pytest.mark.parametrize("typed, value", [
    ("1 200,5", Decimal("1200.5")), ("1200.5", Decimal("1200.5")), ("3\u202f000\u00a0000", Decimal("3000000")),
    ("12,5", Decimal("12.5")), ("1,2345", Decimal("1.2345")), ("", None), ("  ", None), ("-4", Decimal("-4")),
])
def test_accepted_notations(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["1,200", "12,500,000", "-1,000"])
def test_a_comma_that_may_group_thousands_is_refused_not_guessed(typed):
    with pytest.raises(ValueError, match="ambigu"):
        parse_decimal(typed)


@pytest.mark.parametrize("typed", ["1,2.3", "abc", "1e3", "12..5", "--1"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_targets_use_the_same_rules():
    assert parse_value("1 200,5") == Decimal("1200.5")
    for typed, reason in (("1,200", "ambigu"), ("-3", "négative"), ("1,234", "ambigu"), ("2,125", "ambigu"),
                          ("1.255", "deux décimales")):
        with pytest.raises(ValueError, match=reason):
            parse_value(typed)


@pytest.mark.parametrize("seconds, words", [(0, "0 s"), (45, "45 s"), (180, "3 min"), (125, "2 min 05 s"),
                                             (None, "0 s"), (59.6, "1 min")])
def test_durations_read_the_same_everywhere(seconds, words):
    from cop.filters import duration

    assert duration(seconds) == words


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_number_filter_writes_what_babel_writes(app, language):
    """The filter keeps its parsed pattern between calls; its text is still exactly Babel's, in both languages."""
    from flask_babel import force_locale, format_decimal

    from cop.filters import number

    values = [0, 7, -3, 999, 1000, -1234567, 12.5, 2.675, Decimal("1234.5"), Decimal("-0.004"), Decimal("1e6"),
              Decimal("987654321.987"), "4321.5"]
    with app.test_request_context(), force_locale(language):
        for value in values:
            rounded = round(value) if not isinstance(value, str) else value
            assert number(value) == format_decimal(rounded, format="#,##0"), value
            assert number(value, 2) == format_decimal(value, format="#,##0.00"), value
        assert number(None) == "—"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_fast_number_filter_writes_what_babel_writes(app, language):
    """The synthesis's numbers take a faster way than Babel's; it must write the same text, rounding included."""
    import random

    from flask_babel import get_locale

    from cop import filters

    draw = random.Random(17)
    values = [Decimal(draw.randint(-10**10, 10**10)) / Decimal(10) ** draw.randint(0, 5) for _ in range(400)]
    values += [draw.randint(-10**8, 10**8) for _ in range(100)]
    values += [Decimal("0.5"), Decimal("2.5"), Decimal("-0.5"), Decimal("0.125"), Decimal("-0"), Decimal("1E+6"),
               Decimal("999.995"), 0, 12.5, 1234.5678]
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert filters._symbols(get_locale()) is not None  # the fast way is taken in both languages
        for value in values:
            for decimals in (0, 1, 2, 3):
                expected = round(value) if decimals == 0 else value
                assert filters.number(value, decimals) == filters._number_pattern(decimals).apply(
                    expected, get_locale()), (value, decimals)
        assert filters.number(Decimal("NaN"), 2) == filters._number_pattern(2).apply(Decimal("NaN"), get_locale())
