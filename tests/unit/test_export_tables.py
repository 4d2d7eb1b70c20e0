"""CSV/XLSX downloads built on the server from the query (``exports.chart_data``): every chart a
page offers, read back and compared with direct SQL; headers in each language, codes kept; real
numbers and dates in XLSX with an About sheet; formula-looking text neutralised; unknown charts
and crafted query strings refused or read by the page's own parser."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from sqlalchemy import create_engine, text

from app import create_app
from components.chart_card import EXPORT_ITEM, chart_card
from config import Config
from exports import chart_data
from exports.meta import ExportMeta, file_name, safe_name, with_filters
from exports.tables import csv_bytes, neutralise, xlsx_bytes
from i18n import translator

# every chart of every page that offers its data, with a query string of its page
CHARTS = {
    "conn-map": "?region=TJ-KT",
    "conn-profile": "?region=TJ-KT&metric=schools",
    "conn-techmix": "?district=TJ-KT-03",
    "conn-urban-rural": "?region=TJ-SU",
    "conn-benchmark": "",
    "conn-priority": "?region=TJ-KT",
    "it-growth": "?measure=jobs",
    "it-sizes": "?region=TJ-SU",
    "it-flows": "",
    "it-regions": "?subsector=software",
    "it-hightech-exports": "",
    "park-occupancy": "",
    "park-expiries": "?as_of=2026-06-30",
    "park-floor-plan": "?building=B1&as_of=2026-06-30",
    "park-tenant-mix": "?as_of=2026-06-30",
    "overview-internet-users": "",
    "data-indicator-series": "?indicator=IT.NET.USER.ZS",
    "data-observations-by-theme": "",
    "tgt-chart-tj-mob-4g-pop-zs-tj": "?region=TJ-KT",
}


@pytest.fixture(scope="module")
def app(seeded_sqlite_url):
    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test"))
    app.server.test_client().get("/")
    return app


@pytest.fixture(scope="module")
def db(seeded_sqlite_url):
    return create_engine(seeded_sqlite_url)


def sql(db, statement: str, **params) -> list[tuple]:
    with db.connect() as connection:
        return [tuple(row) for row in connection.execute(text(statement), params)]


def download(app, key: str, search: str, fmt: str = "csv", lang: str = "en") -> tuple[bytes, str]:
    with app.server.test_request_context():
        joined = f"{search}&lang={lang}" if search else f"?lang={lang}"
        return chart_data.data_file(key, joined, fmt)


def read_csv(content: bytes) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return pd.DataFrame(rows[1:], columns=rows[0])


def tidy(app, key: str, search: str) -> pd.DataFrame:
    """The English CSV as a frame with numeric values, columns by their codes."""
    frame = read_csv(download(app, key, search)[0])
    frame.columns = list(chart_data.TIDY_COLUMNS)
    return frame.assign(value=pd.to_numeric(frame["value"]))


# ------------------------------------------------------------------ every chart a page offers


def test_every_chart_of_every_page_is_registered(app):
    assert set(CHARTS) <= {*chart_data.REGISTRY, "tgt-chart-tj-mob-4g-pop-zs-tj"}
    assert chart_data.has_data("tgt-chart-tj-mob-4g-pop-zs-tj")


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_each_chart_gives_csv_and_xlsx_that_open(app, key):
    content, name = download(app, key, CHARTS[key])
    assert content.startswith(b"\xef\xbb\xbf") and name.endswith(".csv")
    frame = read_csv(content)
    assert len(frame) > 0
    book = openpyxl.load_workbook(io.BytesIO(download(app, key, CHARTS[key], "xlsx")[0]))
    assert book.sheetnames == ["Data", "About"]
    assert book["Data"].max_row == len(frame) + 1
    assert [c.value for c in book["Data"][1]] == list(frame.columns)
    assert safe_name(name.removesuffix(".csv")) == name.removesuffix(".csv")


def test_benchmark_rows_are_the_published_observations(app, db):
    frame = tidy(app, "conn-benchmark", "")
    expected = sql(
        db,
        "SELECT indicator_code, geo_code, period, value, flags, source_code FROM observation WHERE is_current"
        " AND breakdown = 'total' AND geo_code IN ('TJ','KG','UZ','KZ','AF')"
        " AND indicator_code IN ('IT.NET.USER.ZS','IT.CEL.SETS.P2','IT.NET.BBND.P2')",
    )
    got = {(r.indicator_code, r.geo_code, r.period, r.value, r.flags) for r in frame.itertuples()}
    assert got == {(i, g, p, v, f or "") for i, g, p, v, f, _s in expected}
    units = dict(sql(db, "SELECT code, unit_en FROM indicator"))
    assert (frame["unit"] == frame["indicator_code"].map(units)).all()
    urls = dict(sql(db, "SELECT code, url FROM source"))
    sources = {s for *_rest, s in expected}
    assert set(frame["source_url"]) == {urls[s] for s in sources}


def test_map_rows_are_each_units_rollup_value(app, db):
    frame = tidy(app, "conn-map", "?to=2024-Q4")
    expected = sql(
        db,
        "SELECT geo_code, value FROM observation_rollup WHERE indicator_code = 'TJ.MOB.4G.POP.ZS'"
        " AND level = 'unit' AND breakdown = 'total' AND period = '2024-Q4'",
    )
    assert len(expected) >= 59
    assert dict(zip(frame["geo_code"], frame["value"], strict=True)) == pytest.approx(dict(expected))
    assert set(frame["period"]) == {"2024-Q4"} and set(frame["indicator_code"]) == {"TJ.MOB.4G.POP.ZS"}


def test_people_without_4g_come_with_the_population_they_are_computed_from(app, db):
    frame = tidy(app, "conn-map", "?metric=uncovered&to=2024-Q4")
    assert set(frame["indicator_code"]) == {"TJ.MOB.4G.POP.ZS", "TJ.POP.MODEL"}
    population = frame[frame["indicator_code"] == "TJ.POP.MODEL"]
    assert set(population["period"]) == {"2024"}
    expected = dict(
        sql(
            db,
            "SELECT geo_code, population FROM observation_rollup WHERE indicator_code = 'TJ.MOB.4G.POP.ZS'"
            " AND level = 'unit' AND breakdown = 'total' AND period = '2024-Q4'",
        )
    )
    assert dict(zip(population["geo_code"], population["value"], strict=True)) == pytest.approx(expected)


def test_profile_rows_are_the_weighted_region_and_country(app, db):
    frame = tidy(app, "conn-profile", "?region=TJ-KT&from=2022-Q1&to=2024-Q4")
    region = frame[frame["geo_code"] == "TJ-KT"]
    expected = sql(
        db,
        "SELECT period, value FROM observation_rollup WHERE indicator_code = 'TJ.MOB.4G.POP.ZS' AND level = 'region'"
        " AND geo_code = 'TJ-KT' AND breakdown = 'total' AND period BETWEEN '2022-Q1' AND '2024-Q4'"
        " AND share >= 0.95 ORDER BY period",
    )
    assert dict(zip(region["period"], region["value"], strict=True)) == pytest.approx(dict(expected))
    assert set(frame["geo_code"]) == {"TJ", "TJ-KT"}
    assert (frame["period_start"].str.match(r"\d{4}-\d{2}-01")).all()


def test_urban_rural_rows_name_their_breakdown(app, db):
    frame = tidy(app, "conn-urban-rural", "?region=TJ-SU&from=2024-Q1&to=2024-Q4")
    assert set(frame["breakdown"]) == {"urban", "rural"}
    assert set(frame["indicator_code"]) == {"TJ.MOB.4G.POP.ZS", "TJ.NET.USER.ZS"}
    expected = sql(
        db,
        "SELECT period, value FROM observation_rollup WHERE indicator_code = 'TJ.NET.USER.ZS' AND level = 'region'"
        " AND geo_code = 'TJ-SU' AND breakdown = 'rural' AND period BETWEEN '2024-Q1' AND '2024-Q4'"
        " AND share >= 0.95 ORDER BY period",
    )
    rural = frame[(frame["indicator_code"] == "TJ.NET.USER.ZS") & (frame["breakdown"] == "rural")]
    assert dict(zip(rural["period"], rural["value"], strict=True)) == pytest.approx(dict(expected))


def test_it_growth_counts_the_active_companies_of_the_registry(app, db):
    frame = tidy(app, "it-growth", "?from=2020&to=2023")
    assert set(frame["indicator_code"]) == {"TJ.IT.COMP.ACTIVE"} and set(frame["geo_code"]) == {"TJ"}
    for year in (2020, 2023):
        ((count,),) = sql(
            db,
            "SELECT count(*) FROM it_company WHERE founded <= :end AND (closed IS NULL OR closed > :end)",
            end=date(year, 12, 31),
        )
        assert frame[frame["period"] == str(year)]["value"].sum() == count
    subsectors = {s for (s,) in sql(db, "SELECT DISTINCT subsector FROM it_company")}
    assert set(frame["breakdown"]) <= subsectors


def test_hightech_and_overview_rows_are_as_published(app, db):
    frame = tidy(app, "it-hightech-exports", "")
    expected = sql(
        db,
        "SELECT period, value FROM observation WHERE indicator_code = 'TX.VAL.TECH.CD' AND geo_code = 'TJ'"
        " AND is_current AND breakdown = 'total' ORDER BY period_start",
    )
    assert list(zip(frame["period"], frame["value"], strict=True)) == expected
    users = tidy(app, "overview-internet-users", "")
    ((count,),) = sql(
        db,
        "SELECT count(*) FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current"
        " AND breakdown = 'total' AND geo_code IN ('TJ','KG','UZ','KZ','AF')",
    )
    assert len(users) == count


def test_target_block_rows_hold_the_series_and_each_target_with_its_status(app, db):
    frame = tidy(app, "tgt-chart-tj-mob-4g-pop-zs-tj", "")
    targets = frame[frame["flags"].str.startswith("target")]
    expected = sql(
        db,
        "SELECT year, value, illustrative FROM target WHERE indicator_code = 'TJ.MOB.4G.POP.ZS' AND geo_code = 'TJ'"
        " ORDER BY year",
    )
    assert [(int(p), v) for p, v in zip(targets["period"], targets["value"], strict=True)] == [
        (y, v) for y, v, _i in expected
    ]
    assert all(flag == "target, illustrative" for flag in targets["flags"])
    statuses = {translator("en")(s) for s in ("On track", "At risk", "Off track", "Target met", "Target missed")}
    assert set(targets["status"]) <= statuses and targets["status"].ne("").all()
    observed = frame[~frame["flags"].str.startswith("target")]
    assert len(observed) > 10 and observed["status"].eq("").all()


def test_floor_plan_rows_are_the_buildings_units(app, db):
    content, name = download(app, "park-floor-plan", "?building=B1&as_of=2026-06-30")
    assert name == "it-park-units_B1_2026-06-30.csv"
    frame = read_csv(content)
    expected = sql(db, "SELECT unit_code, area_m2 FROM park_unit WHERE building_code = 'B1' ORDER BY unit_code")
    got = sorted(zip(frame["Unit"], frame["Floor area, m²"].astype(float), strict=True))
    assert got == expected
    assert set(frame["Status code"]) <= {"leased", "ending", "reserved", "vacant", "not_open"}
    assert set(frame["Kind of source"]) == {"synthetic demo data"}


def test_priority_rows_rank_the_regions_districts_by_people_without_4g(app, db):
    content, name = download(app, "conn-priority", "?region=TJ-KT&to=2024-Q4")
    assert name == "people-without-4g-priority_TJ-KT_2024-Q4.csv"
    frame = read_csv(content)
    expected = sql(
        db,
        "SELECT r.geo_code, r.population * (100 - r.value) / 100 FROM observation_rollup r JOIN geo g"
        " ON g.code = r.geo_code WHERE r.indicator_code = 'TJ.MOB.4G.POP.ZS' AND r.level = 'unit'"
        " AND r.breakdown = 'total' AND r.period = '2024-Q4' AND g.parent_code = 'TJ-KT'",
    )
    people = dict(zip(frame["Geography code"], frame["People without 4G"].astype(float), strict=True))
    assert people == pytest.approx({code: round(value) for code, value in expected})
    assert list(frame["Rank"]) == [str(i) for i in range(1, len(frame) + 1)]
    assert frame["People without 4G"].astype(float).is_monotonic_decreasing


def test_it_tables_count_the_registry(app, db):
    sizes = read_csv(download(app, "it-sizes", "?region=TJ-SU&to=2024")[0])
    ((companies, jobs),) = sql(
        db,
        "SELECT count(*), sum(y.employees) FROM it_company_year y JOIN it_company c ON c.company_id = y.company_id"
        " WHERE y.year = 2024 AND c.region_code = 'TJ-SU'",
    )
    assert (sizes["Companies"].astype(int).sum(), sizes["Jobs"].astype(int).sum()) == (companies, jobs)
    flows = read_csv(download(app, "it-flows", "?from=2018&to=2024")[0]).set_index("Year")
    for year in (2018, 2024):
        ((founded,),) = sql(
            db,
            "SELECT count(*) FROM it_company WHERE founded BETWEEN :a AND :b",
            a=date(year, 1, 1),
            b=date(year, 12, 31),
        )
        ((closed,),) = sql(
            db,
            "SELECT count(*) FROM it_company WHERE closed BETWEEN :a AND :b",
            a=date(year, 1, 1),
            b=date(year, 12, 31),
        )
        assert (int(flows.loc[str(year), "Founded"]), int(flows.loc[str(year), "Closed"])) == (founded, closed)
    regions = read_csv(download(app, "it-regions", "?to=2024")[0]).set_index("Geography code")
    active = dict(
        sql(
            db,
            "SELECT region_code, count(*) FROM it_company WHERE founded <= :end AND (closed IS NULL OR closed > :end)"
            " GROUP BY region_code",
            end=date(2024, 12, 31),
        )
    )
    assert {code: int(n) for code, n in regions["Active companies"].items() if int(n)} == active


def test_park_tables_are_the_leases_in_force(app, db):
    day = date(2026, 6, 30)
    mix = read_csv(download(app, "park-tenant-mix", f"?as_of={day}")[0])
    ((tenants,),) = sql(
        db,
        "SELECT count(DISTINCT l.tenant_code) FROM park_lease l JOIN park_unit u ON u.unit_code = l.unit_code"
        " JOIN park_building b ON b.building_code = u.building_code WHERE l.kind = 'lease' AND b.opened <= :d"
        " AND l.start_date <= :d AND (l.end_date IS NULL OR l.end_date >= :d)",
        d=day,
    )
    assert mix["Tenants"].astype(int).sum() == tenants
    ending = read_csv(download(app, "park-expiries", f"?as_of={day}")[0])
    ((leases,),) = sql(
        db,
        "SELECT count(*) FROM park_lease l JOIN park_unit u ON u.unit_code = l.unit_code JOIN park_building b"
        " ON b.building_code = u.building_code WHERE l.kind = 'lease' AND b.opened <= :d AND l.start_date <= :d"
        " AND l.end_date >= :d AND l.end_date < :until",
        d=day,
        until=date(2028, 6, 30),
    )
    assert ending["Leases"].astype(int).sum() == leases
    occupancy = tidy(app, "park-occupancy", f"?as_of={day}")
    june = occupancy[(occupancy["period"] == "2026-06") & (occupancy["breakdown"] == "total")]
    ((leased,),) = sql(
        db,
        "SELECT sum(u.area_m2) FROM park_lease l JOIN park_unit u ON u.unit_code = l.unit_code JOIN park_building b"
        " ON b.building_code = u.building_code WHERE l.kind = 'lease' AND b.opened <= :d AND l.start_date <= :d"
        " AND (l.end_date IS NULL OR l.end_date >= :d)",
        d=day,
    )
    ((leasable,),) = sql(
        db,
        "SELECT sum(u.area_m2) FROM park_unit u JOIN park_building b ON b.building_code = u.building_code"
        " WHERE b.opened <= :d",
        d=day,
    )
    assert june["value"].tolist() == pytest.approx([100 * leased / leasable])
    assert set(occupancy["unit"]) == {dict(sql(db, "SELECT code, unit_en FROM indicator"))["TJ.PARK.OCC.ZS"]}


def test_catalogue_downloads_are_the_stored_observations(app, db):
    series = tidy(app, "data-indicator-series", "?indicator=IT.CEL.SETS.P2")
    expected = sql(
        db,
        "SELECT geo_code, period, value FROM observation WHERE indicator_code = 'IT.CEL.SETS.P2' AND is_current"
        " AND breakdown = 'total' AND geo_code IN ('TJ','KG','UZ','KZ','AF')",
    )
    assert {(r.geo_code, r.period, r.value) for r in series.itertuples()} <= set(expected)
    assert len(series) >= 5
    themes = read_csv(download(app, "data-observations-by-theme", "")[0])
    counts = sql(
        db,
        "SELECT i.theme, s.kind, count(*) FROM observation o JOIN indicator i ON i.code = o.indicator_code"
        " JOIN source s ON s.code = o.source_code WHERE o.is_current GROUP BY i.theme, s.kind",
    )
    got = {(r["Theme code"], r["Kind code"], int(r["Observations"])) for r in themes.to_dict("records")}
    assert got == set(counts)


# ------------------------------------------------------------------ languages, formats, names


@pytest.mark.parametrize("lang", ["en", "ru", "tg"])
def test_headers_and_labels_are_in_the_language_and_codes_stay_codes(app, lang):
    frame = read_csv(download(app, "conn-profile", "?region=TJ-KT", lang=lang)[0])
    t = translator(lang)
    assert list(frame.columns) == [t(label) for label in chart_data.TIDY_COLUMNS.values()]
    english = read_csv(download(app, "conn-profile", "?region=TJ-KT", lang="en")[0])
    assert list(frame.iloc[:, 0]) == list(english.iloc[:, 0])  # indicator codes
    assert list(frame.iloc[:, 2]) == list(english.iloc[:, 2])  # geo codes
    if lang != "en":
        assert frame.columns[1] != english.columns[1]
        assert frame.iloc[0, 3] != english.iloc[0, 3]  # the geography's name
        assert frame.iloc[0, 15] == t("synthetic demo data") != english.iloc[0, 15]


def test_xlsx_has_numbers_dates_a_frozen_header_and_about(app):
    book = openpyxl.load_workbook(io.BytesIO(download(app, "conn-profile", "?region=TJ-KT", "xlsx", "tg")[0]))
    sheet = book["Data"]
    assert sheet.freeze_panes == "A2"
    columns = list(chart_data.TIDY_COLUMNS)
    value = sheet.cell(row=2, column=columns.index("value") + 1)
    start = sheet.cell(row=2, column=columns.index("period_start") + 1)
    assert isinstance(value.value, float) and value.number_format == "#,##0.0"
    assert isinstance(start.value, datetime) and start.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=2, column=columns.index("period") + 1).value == "2018-Q1"
    t = translator("tg")
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about[t("Link to this view")] == "/connectivity?region=TJ-KT&lang=tg"
    assert about[t("Note")].startswith(t("synthetic demo data"))
    assert isinstance(about[t("Exported")], datetime)
    assert about[t("Latest period")] == "2026-Q3"


def test_the_query_string_is_read_by_the_pages_own_parser(app):
    crafted = "?region=<script>&to=2999-Q9&metric=nope&evil=javascript:alert(1)"
    content, name = download(app, "conn-profile", crafted, "xlsx")
    assert name == "4g-profile_TJ_2018-Q1--2026-Q3.xlsx"  # every value fell back
    about = {row[0]: row[1] for row in openpyxl.load_workbook(io.BytesIO(content))["About"].iter_rows(values_only=True)}
    assert "evil" not in about["Link to this view"]


def test_unknown_charts_offer_no_data(app):
    for key in ("conn-rural", "../etc", "tgt-chart-../../x", None, 7):
        assert not chart_data.has_data(key)
        with pytest.raises(KeyError):
            download(app, key, "")
    with app.server.test_request_context(), pytest.raises(KeyError):
        chart_data.data_file("tgt-chart-no-such-block", "?lang=en", "csv")
    with app.server.test_request_context(), pytest.raises(ValueError):
        chart_data.data_file("conn-map", "?lang=en", "json")


def test_the_menu_offers_data_only_for_charts_the_server_can_build(app):
    def formats(card) -> list[str]:
        found = []

        def walk(node):
            node_id = getattr(node, "id", None)
            if isinstance(node_id, dict) and node_id.get("type") == EXPORT_ITEM:
                found.append(node_id["fmt"])
            children = getattr(node, "children", None)
            for child in children if isinstance(children, list) else [children] if children is not None else []:
                walk(child)

        walk(card)
        return found

    sources = pd.DataFrame([{"name": "World Bank", "licence": "CC BY 4.0", "kind": "official"}])
    assert formats(chart_card("conn-map", "Map", go.Figure(), sources)) == ["png", "svg", "csv", "xlsx"]
    assert formats(chart_card("import-preview", "Preview", go.Figure(), sources)) == ["png", "svg"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 992", "'+7 992"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Душанбе", "Душанбе"),
        ("", ""),
        (-2.5, -2.5),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_and_xlsx_neutralise_injection_cells():
    evil = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "@cmd", "ok"], "value": [1.0, -1.0, 2.0]})
    rows = list(csv.reader(io.StringIO(csv_bytes(evil, ["=name", "value"]).decode("utf-8-sig"))))
    assert [row[0] for row in rows] == ["'=name", '\'=HYPERLINK("http://x")', "'@cmd", "ok"]
    assert rows[2][1] == "-1.0"  # a negative number is a number, not text
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(evil, ["=name", "value"], [("Title", "=title")], [1, 1, 1])))
    sheet = book["Data"]
    assert sheet["A1"].value == "'=name" and sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B3"].value == -1.0
    assert book["About"]["B1"].value == "'=title"


def test_image_file_names_say_what_and_when():
    when = datetime(2026, 11, 28, 9, 30)
    meta = ExportMeta("Internet users", name="internet-users_TJ", exported_at=when)
    assert file_name(meta, "png") == "internet-users_TJ_2026-11-28.png"
    named = ExportMeta("t", name="rural-4g-coverage_TJ-KT_2024-Q4", exported_at=when)
    assert file_name(named, "svg") == "rural-4g-coverage_TJ-KT_2024-Q4.svg"
    assert safe_name("../etc/passwd рус") == "etc-passwd"
    assert with_filters("x", "?q=<script>alert(1)</script>") == "x_script-alert-1-script"
