"""Write the bad-input corpus of the loader tests: tests/data/bad/*.csv|xlsx and cases.csv.

Each case is a small file that the loader must reject, with the row, column and a piece of the
reason it must give (cases.csv); tests/unit/test_bad_inputs.py loads every one on SQLite and
PostgreSQL and checks that the database did not change. Large cases (a 1 GB CSV, an XLSX bomb)
are generated in a temporary folder by the tests and scripts/benchmark_loader.py, never committed.

    python scripts/make_bad_inputs.py [FOLDER]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
H = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
OK = "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n"
COMPANIES = "company_id,name,subsector,region_code,founded,closed\n"
YEARS = "company_id,year,employees,revenue_usd,exports_usd\n"
LEASES = "lease_id,unit_code,tenant_code,kind,start_date,end_date,rent_usd_m2_month,jobs\n"
TARGETS = "indicator_code,geo_code,year,value,document,illustrative\n"
UNIT = "B1-1-02"  # a unit of the synthetic seed data, leased from 2025-04-07 to 2026-04-06


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _binary() -> bytes:
    rng = random.Random(12)
    return _utf8(H) + bytes(rng.randrange(256) for _ in range(3000))


# name -> (bytes, kind, source, row, column, reason)
CASES: dict[str, tuple[bytes, str, str, int, str, str]] = {
    # encodings and bytes
    "koi8r.csv": ((H + "IT.NET.USER.ZS,TJ,2023,4,,,,оценка министерства\n").encode("koi8_r"), "", "", 0, "", "KOI8-R"),
    "cp866.csv": ((H + "IT.NET.USER.ZS,TJ,2023,4,,,,оценка министерства\n").encode("cp866"), "", "", 0, "", "DOS 866"),
    "latin1.csv": (
        (H + "IT.NET.USER.ZS,TJ,2023,4,,,,café résumé à Genève\n").encode("latin_1"),
        "",
        "",
        0,
        "",
        "save it as UTF-8",
    ),
    "utf8_with_a_cp1251_line.csv": (
        _utf8(H + "IT.NET.USER.ZS,TJ,2022,4,,,,оценка\n") + "IT.NET.USER.ZS,TJ,2023,5,,,,Согд\n".encode("cp1251"),
        "",
        "",
        3,
        "",
        "line 3 is not valid UTF-8",
    ),
    "utf8_bom_with_a_cp1251_line.csv": (
        b"\xef\xbb\xbf" + _utf8(H + OK) + "IT.NET.USER.ZS,TJ,2024,5,,,,Согд\n".encode("cp1251"),
        "",
        "",
        3,
        "",
        "line 3 is not valid UTF-8",
    ),
    "cp1251_line_before_utf8_lines.csv": (
        _utf8(H)
        + "IT.NET.USER.ZS,TJ,2022,4,,,,Согд\n".encode("cp1251")
        + _utf8("IT.NET.USER.ZS,TJ,2023,5,,,,оценка\n"),
        "",
        "",
        2,
        "",
        "line 2 is not valid UTF-8",
    ),
    "utf16_cut_off.csv": ((H + OK).encode("utf-16")[:-1], "", "", 0, "", "middle of a character"),
    "binary.csv": (_binary(), "", "", 0, "", "not text"),
    "nul_byte.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,4,,,,a\x00b\n"), "", "", 2, "comment", "U+0000"),
    "bell_character.csv": (_utf8(H + "IT.NET.USER.ZS,TJ\x07,2023,4,,,,\n"), "", "", 2, "geo_code", "U+0007"),
    "c1_control_character.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,4,,,,\u0098x\n"), "", "", 2, "comment", "U+0098"),
    # CSV structure
    "unclosed_quote_at_the_end.csv": (
        _utf8(H + 'IT.NET.USER.ZS,TJ,2023,4,,,,"note\n' + OK),
        "",
        "",
        2,
        "",
        "never closed",
    ),
    "unclosed_quote_swallows_a_row.csv": (
        _utf8(H + 'IT.NET.USER.ZS,TJ,2023,4,,,,"note\nIT.NET.USER.ZS,TJ,2024,5,,,,end"\n'),
        "",
        "",
        2,
        "",
        "closing quote is probably missing",
    ),
    "text_after_a_closing_quote.csv": (
        _utf8(H + 'IT.NET.USER.ZS,TJ,2023,"4"x,,,,\n'),
        "",
        "",
        2,
        "",
        "cannot be read as CSV",
    ),
    "too_many_fields.csv": (
        _utf8(H + "IT.NET.USER.ZS,TJ,2023,4,,,,,extra\n"),
        "",
        "",
        2,
        "",
        "fields but the header has 8",
    ),
    "duplicated_value_column.csv": (
        _utf8("indicator_code,geo_code,period,value,value\nIT.NET.USER.ZS,TJ,2023,4,5\n"),
        "",
        "",
        1,
        "value",
        "appears 2 times (columns 4 and 5)",
    ),
    "missing_column.csv": (
        _utf8("indicator_code,geo_code,value\nIT.NET.USER.ZS,TJ,40\n"),
        "",
        "",
        1,
        "period",
        "required column",
    ),
    "empty.csv": (b"", "", "", 0, "", "the file is empty"),
    "blank_first_line.csv": (_utf8("\n" + H + OK), "", "", 1, "", "line 1 is empty"),
    "header_only.csv": (_utf8(H), "", "", 0, "", "no data rows"),
    "unsupported_type.json": (b"{}", "", "", 0, "", "unsupported file type"),
    "not_a_workbook.xlsx": (b"not a zip", "", "", 0, "", "cannot open as an Excel workbook"),
    # numbers
    "infinity_1e999.csv": (_utf8(H + "SP.POP.TOTL,TJ,2023,1e999,,,,\n"), "", "", 2, "value", "too large"),
    "minus_infinity.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,-1e999,,,,\n"), "", "", 2, "value", "too large"),
    "inf_text.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,inf,,,,\n"), "", "", 2, "value", "'inf' is not a number"),
    "nan_text.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,NaN,,,,\n"), "", "", 2, "value", "'NaN' is not a number"),
    "non_numeric.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,forty,,,,\n"), "", "", 2, "value", "'forty' is not a number"),
    "ambiguous_comma.csv": (_utf8(H + 'IT.NET.USER.ZS,TJ,2023,"1,234",,,,\n'), "", "", 2, "value", "ambiguous"),
    "percent_over_100.csv": (
        _utf8(H + "IT.NET.USER.ZS,TJ,2023,140,,,,\n"),
        "",
        "",
        2,
        "value",
        "percentage outside 0-100",
    ),
    "negative_count.csv": (_utf8(H + "SP.POP.TOTL,TJ,2023,-5,,,,\n"), "", "", 2, "value", "negative count"),
    "fractional_count.csv": (_utf8(H + "SP.POP.TOTL,TJ,2023,5.5,,,,\n"), "", "", 2, "value", "not a whole number"),
    "empty_value.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,,,,,\n"), "", "", 2, "value", "is empty"),
    "integer_beyond_32_bits.csv": (
        _utf8(YEARS + "C0001,2021,99999999999,100000,20000\n"),
        "it_company_years",
        "DEMO-SYNTHETIC",
        2,
        "employees",
        "too large to be stored",
    ),
    # lengths the database enforces (PostgreSQL) and SQLite does not
    "breakdown_too_long.csv": (
        _utf8(H + f"IT.NET.USER.ZS,TJ,2023,4,{'x' * 40},,,\n"),
        "",
        "",
        2,
        "breakdown",
        "at most 32",
    ),
    "lease_id_too_long.csv": (
        _utf8(LEASES + f"{'L' * 20},{UNIT},T001,lease,2030-01-01,2030-12-31,12,5\n"),
        "park_leases",
        "DEMO-SYNTHETIC",
        2,
        "lease_id",
        "at most 16",
    ),
    "geo_code_too_long.csv": (
        _utf8("code,level,parent_code,name_en,name_ru,name_tg\nTJ-SU-99-EXTRA-LONG,district,TJ-SU,New,Новый,Нав\n"),
        "",
        "",
        2,
        "code",
        "at most 16",
    ),
    # codes and rules
    "unknown_indicator.csv": (
        _utf8(H + "NO.SUCH.CODE,TJ,2023,4,,,,\n"),
        "",
        "",
        2,
        "indicator_code",
        "unknown indicator",
    ),
    "unknown_geo.csv": (_utf8(H + "IT.NET.USER.ZS,XX,2023,4,,,,\n"), "", "", 2, "geo_code", "unknown geo code 'XX'"),
    "month_13.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023-13,4,,,,\n"), "", "", 2, "period", "month 13 does not exist"),
    "period_text.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,last year,4,,,,\n"), "", "", 2, "period", "is not a period"),
    "unknown_flag.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,4,,X,,\n"), "", "", 2, "flags", "unknown flag X"),
    "unknown_source.csv": (_utf8(H + "IT.NET.USER.ZS,TJ,2023,4,,,NOPE,\n"), "", "", 2, "source_code", "unknown source"),
    "derived_indicator.csv": (
        _utf8(H + "TJ.IT.JOBS,TJ,2023,4,,,,\n"),
        "",
        "",
        2,
        "indicator_code",
        "computed from raw tables",
    ),
    "duplicate_key.csv": (
        _utf8(H + OK + "IT.NET.USER.ZS,TJ,2022,5,,,,\nIT.NET.USER.ZS,TJ,2023,6,total,,,\n"),
        "",
        "",
        4,
        "indicator_code",
        "duplicate key (IT.NET.USER.ZS, TJ, 2023, total), first at row 2",
    ),
    "target_year_out_of_range.csv": (
        _utf8(TARGETS + "IT.NET.USER.ZS,TJ,2300,75,Illustrative,yes\n"),
        "",
        "DEMO-TARGETS",
        2,
        "year",
        "not a target year",
    ),
    "geo_unknown_parent.csv": (
        _utf8("code,level,parent_code,name_en,name_ru,name_tg\nTJ-SU-99,district,TJ-XX,New,Новый,Нав\n"),
        "",
        "",
        2,
        "parent_code",
        "unknown parent geo code",
    ),
    "company_closed_before_founded.csv": (
        _utf8(COMPANIES + "C9001,Delta,telecom,TJ-SU,2021-05-01,2020-01-01\n"),
        "",
        "DEMO-SYNTHETIC",
        2,
        "closed",
        "is not after founded",
    ),
    "company_bad_date.csv": (
        _utf8(COMPANIES + "C9001,Epsilon,telecom,TJ-SU,2021-02-30,\n"),
        "",
        "DEMO-SYNTHETIC",
        2,
        "founded",
        "",
    ),
    "company_exports_over_revenue.csv": (
        _utf8(YEARS + "C0001,2031,10,100000,200000\n"),
        "",
        "DEMO-SYNTHETIC",
        2,
        "exports_usd",
        "larger than revenue",
    ),
    "lease_overlaps_a_stored_lease.csv": (
        _utf8(LEASES + f"L9001,{UNIT},T001,lease,2025-06-01,2025-12-31,12,5\n"),
        "",
        "DEMO-SYNTHETIC",
        2,
        "start_date",
        "already loaded",
    ),
    "lease_ends_before_it_starts.csv": (
        _utf8(LEASES + f"L9001,{UNIT},T001,lease,2040-06-01,2040-01-01,12,5\n"),
        "",
        "DEMO-SYNTHETIC",
        2,
        "end_date",
        "before it starts",
    ),
    "raw_table_without_source.csv": (
        _utf8(COMPANIES + "C9001,Alpha,software,TJ-DU,2020-01-15,\n"),
        "",
        "",
        2,
        "source_code",
        "--source",
    ),
}


def _workbook(path: Path, rows: list[list[object]], extra_sheet: bool = False) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet("notes").append(["ignored"])
    workbook.save(path)


XLSX_HEADER = ["indicator_code", "geo_code", "period", "value", "breakdown"]
XLSX_CASES = {
    "xlsx_percent_over_100.xlsx": (
        [XLSX_HEADER, ["IT.NET.USER.ZS", "TJ", "2021", 28.34, None], ["IT.NET.USER.ZS", "TJ", "2022", 130, None]],
        3,
        "value",
        "percentage outside 0-100",
    ),
    "xlsx_breakdown_too_long.xlsx": (
        [XLSX_HEADER, ["IT.NET.USER.ZS", "TJ", "2021", 28.34, "b" * 33]],
        2,
        "breakdown",
        "at most 32",
    ),
    "xlsx_duplicated_column.xlsx": (
        [[*XLSX_HEADER, "value"], ["IT.NET.USER.ZS", "TJ", "2021", 28.34, None, 29]],
        1,
        "value",
        "appears 2 times",
    ),
}


def write_corpus(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        manifest = csv.writer(handle, lineterminator="\n")
        manifest.writerow(["file", "kind", "source", "row", "column", "reason"])
        for name, (data, kind, source, row, column, reason) in CASES.items():
            (folder / name).write_bytes(data)
            manifest.writerow([name, kind, source, row, column, reason])
        for name, (rows, row, column, reason) in XLSX_CASES.items():
            _workbook(folder / name, rows)
            manifest.writerow([name, "", "", row, column, reason])
    return len(CASES) + len(XLSX_CASES)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "bad"
    print(f"{write_corpus(target)} bad input files written to {target}")
