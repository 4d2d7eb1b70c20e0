"""Numbers and periods are parsed exactly or refused, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from data_loaders.file_reading import parse_number
from data_loaders.periods import parse_period


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("12.5", ",", 12.5),
        ("-0.25", ",", -0.25),
        ("1e3", ",", 1000.0),
        ("12,5", ";", 12.5),
        ("1 234,5", ";", 1234.5),
        ("1\u00a0234\u00a0567", ";", 1234567.0),
        ("7 133 000", ",", 7133000.0),
        ("12,5", "", 12.5),  # a text cell in an Excel workbook
    ],
)
def test_numbers_are_read_exactly(text, separator, expected):
    assert parse_number(text, separator) == expected


@pytest.mark.parametrize(
    ("text", "separator", "reason"),
    [
        ("1,234", ",", "ambiguous"),
        ("1.234,5", ";", "not a number"),
        ("12%", ",", "not a number"),
        ("", ",", "empty"),
        ("n/a", ",", "not a number"),
    ],
)
def test_unclear_numbers_are_refused(text, separator, reason):
    with pytest.raises(ValueError, match=reason):
        parse_number(text, separator)


@pytest.mark.parametrize(
    ("text", "code", "kind", "start", "end"),
    [
        ("2024", "2024", "A", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q3", "2024-Q3", "Q", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024q4", "2024-Q4", "Q", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", "2024-02", "M", date(2024, 2, 1), date(2024, 2, 29)),
        (" 2023-12 ", "2023-12", "M", date(2023, 12, 1), date(2023, 12, 31)),
    ],
)
def test_periods_are_parsed_to_their_dates(text, code, kind, start, end):
    period = parse_period(text)
    assert (period.code, period.type, period.start, period.end) == (code, kind, start, end)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-13", "24", "2024/07", "July 2024", "1850", ""])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.parametrize("text", ["1e999", "-1e999", "1e400"])
def test_numbers_too_large_for_a_float_are_refused_not_stored_as_infinity(text):
    with pytest.raises(ValueError, match="too large"):
        parse_number(text, ",")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+7", "+7"),
        ("'-x", "-x"),
        ("'@a", "@a"),
        ("'", "'"),
        ("'abc", "'abc"),
        ("''=x", "''=x"),
    ],
)
def test_exactly_one_neutralising_apostrophe_is_removed(cell, expected):
    from data_loaders.file_reading import clean_cell

    assert clean_cell(cell) == expected


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("a,b\n1,оценка\n".encode(), "utf-8"),
        ("a,b\n1,оценка\n".encode("utf-8-sig"), "utf-8-sig"),
        ("a,b\n1,оценка\n".encode("utf-16"), "utf-16"),
        ("a,b\n1,оценка министерства, Согд\n".encode("cp1251"), "cp1251"),
        (b"a,b\n1,2\n", "utf-8"),
    ],
)
def test_accepted_encodings_are_detected(tmp_path, data, encoding):
    from data_loaders.encodings import detect_encoding

    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == encoding


@pytest.mark.parametrize(("encoding", "named"), [("koi8_r", "KOI8-R"), ("cp866", "DOS 866")])
def test_other_cyrillic_encodings_are_refused_by_name(tmp_path, encoding, named):
    from data_loaders.encodings import EncodingRefused, detect_encoding

    path = tmp_path / "f.csv"
    path.write_bytes("a,b\n1,Душанбе\n2,оценка министерства\n".encode(encoding))
    with pytest.raises(EncodingRefused, match=named):
        detect_encoding(path)
