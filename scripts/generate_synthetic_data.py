"""Generate the synthetic demo data in ``seed_data/synthetic/``.

Why this exists: no public source has district-level mobile coverage, a registry of IT companies
or the IT Park's units and leases (see shared/data/SOURCES.md, "NOT found"). The dashboard still
needs such data to show what it can do, so this script makes it up -- deterministically (fixed
seed, byte-identical output on every run), plausibly, and anchored on the real published figures
where they exist: district populations add up to the 2020 census regional totals and grow with
the national WDI series, and the population-weighted national internet use follows the real ITU
series. Every observation row carries ``source_code`` DEMO-SYNTHETIC; none of it is a statistic.

Usage: python scripts/generate_synthetic_data.py [--out seed_data/synthetic]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seed_data"
OUT_DIR = SEED_DIR / "synthetic"

SEED = 20250407
SOURCE = "DEMO-SYNTHETIC"
TODAY = dt.date(2026, 11, 28)  # the data's "as of" date (sources.csv retrieved), not the clock
PARK_OPENED = dt.date(2025, 4, 7)
POP_YEARS = list(range(2018, 2027))
QUARTERS = [f"{y}-Q{q}" for y in range(2018, 2027) for q in range(1, 5)][:35]
OBS_COLUMNS = "indicator_code geo_code period value breakdown flags source_code comment".split()

# Terrain / settlement class of every coverage unit (author's judgement, not data).
CLASS_OF = {
    "TJ-DU": "capital",
    **{f"TJ-GB-0{i}": "remote" for i in (1, 2, 3, 4, 5, 7)},
    "TJ-GB-06": "mountain",  # Shughnon, contains Khorog
    **dict.fromkeys(["TJ-KT-02", "TJ-KT-10", "TJ-KT-12", "TJ-KT-18"], "town"),
    **dict.fromkeys(["TJ-KT-03", "TJ-KT-09", "TJ-KT-21"], "hill"),
    **dict.fromkeys(["TJ-KT-01", "TJ-KT-08", "TJ-KT-11", "TJ-KT-20"], "mountain"),
    **dict.fromkeys(["TJ-RA-02", "TJ-RA-11", "TJ-RA-12"], "town"),
    **dict.fromkeys(["TJ-RA-07", "TJ-RA-08"], "lowland"),
    "TJ-RA-01": "hill",
    **dict.fromkeys(["TJ-RA-06", "TJ-RA-13"], "mountain"),
    **dict.fromkeys(["TJ-RA-03", "TJ-RA-04", "TJ-RA-05", "TJ-RA-09", "TJ-RA-10"], "remote"),
    **dict.fromkeys(["TJ-SU-03", "TJ-SU-05", "TJ-SU-06", "TJ-SU-08", "TJ-SU-11"], "town"),
    **dict.fromkeys(["TJ-SU-02", "TJ-SU-12"], "mountain"),
    "TJ-SU-09": "remote",
}  # every other district: lowland

# Per class: 2G and 3G level in 2018 and ceiling (v2, l2, v3, l3), 4G rollout start, ramp (years)
# and ceiling (s4, r4, l4), urban share, internet-use index, schools with broadband in 2018 and
# ceiling (sch0, schl), settlement-coverage exponent (settl > 1: small villages are covered last).
CLASS_KEYS = ("v2", "l2", "v3", "l3", "s4", "r4", "l4", "urban", "net", "sch0", "schl", "settl")
CLASS_PARAMS = {
    "capital": (99.6, 99.9, 97.0, 99.5, 2013.5, 5.5, 99.0, 1.00, 1.55, 55.0, 95.0, 1.05),
    "town": (98.5, 99.7, 85.0, 97.0, 2015.5, 5.0, 95.0, 0.36, 1.15, 25.0, 80.0, 1.3),
    "lowland": (97.0, 99.3, 72.0, 94.0, 2017.0, 6.5, 88.0, 0.12, 0.95, 12.0, 60.0, 1.4),
    "hill": (93.0, 98.0, 55.0, 88.0, 2017.8, 6.5, 78.0, 0.10, 0.85, 6.0, 45.0, 1.6),
    "mountain": (86.0, 95.0, 38.0, 78.0, 2018.8, 7.0, 62.0, 0.10, 0.75, 3.0, 30.0, 1.8),
    "remote": (74.0, 88.0, 18.0, 60.0, 2020.3, 7.0, 42.0, 0.07, 0.62, 1.0, 18.0, 2.0),
}

# 5G: (start, ceiling %, time constant in years) -- Dushanbe first, a few big towns later.
FIVE_G = {
    "TJ-DU": (2023.0, 80.0, 2.0),
    "TJ-SU-03": (2025.25, 45.0, 1.5),
    "TJ-KT-02": (2025.5, 40.0, 1.5),
    "TJ-KT-10": (2025.75, 35.0, 1.5),
}

# Rough relative sizes (thousands) of districts without a published figure: plausible weights
# for spreading the regional remainder, not data.
POP_WEIGHTS = {
    "TJ-KT-02": 200,
    "TJ-KT-03": 150,
    "TJ-KT-04": 130,
    "TJ-KT-05": 170,
    "TJ-KT-06": 150,
    "TJ-KT-07": 120,
    "TJ-KT-08": 60,
    "TJ-KT-10": 200,
    "TJ-KT-11": 90,
    "TJ-KT-12": 30,
    "TJ-KT-13": 50,
    "TJ-KT-14": 110,
    "TJ-KT-15": 150,
    "TJ-KT-16": 110,
    "TJ-KT-17": 180,
    "TJ-KT-18": 50,
    "TJ-KT-20": 50,
    "TJ-KT-21": 60,
    "TJ-KT-23": 180,
    "TJ-KT-24": 200,
    "TJ-RA-01": 100,
    "TJ-RA-03": 100,
    "TJ-RA-04": 70,
    "TJ-RA-05": 110,
    "TJ-RA-06": 40,
    "TJ-RA-07": 450,
    "TJ-RA-09": 25,
    "TJ-RA-10": 45,
    "TJ-RA-12": 330,
}
# Regions where every district has a published figure: the published figures exclude cities
# listed separately (Khujand, Khorog, ...), whose people go to the unit containing them.
RESIDUAL_WEIGHTS = {
    "TJ-SU": {"TJ-SU-03": 3, "TJ-SU-05": 1, "TJ-SU-06": 1, "TJ-SU-08": 1, "TJ-SU-11": 1},
    "TJ-GB": {"TJ-GB-06": 1},
}

SUBSECTORS = ["software", "it_services", "telecom", "ecommerce", "fintech", "hardware_other"]
REGIONS = ["TJ-DU", "TJ-SU", "TJ-KT", "TJ-RA", "TJ-GB"]
REGION_P = [0.62, 0.20, 0.10, 0.05, 0.03]
NAME_HEADS = "Zar Nur Pari Miro Rox Sado Dil Kovo Vax Tiro Ari Bar Faro Kam Rav Shir Tol Vori Yor Zu".split()
NAME_HEADS += "Sim Kalo Lo Nev Oro Pam Gul Hiso Qal Jar".split()
NAME_TAILS = "ron mak lin tex vo da nix ra sol tar ko mir zon bit lab vet nor ix ona um".split()
NAME_WORDS = {
    "software": ["Soft", "Code", "Apps", "Labs", "Software"],
    "it_services": ["Systems", "Solutions", "IT Service", "Integration", "Consulting"],
    "telecom": ["Telecom", "Net", "Link", "Connect"],
    "ecommerce": ["Market", "Shop", "Bazaar", "Trade Online"],
    "fintech": ["Pay", "Finance Tech", "Wallet", "Capital Tech"],
    "hardware_other": ["Tech", "Electronics", "Devices", "Digital"],
}
# Brand fragments of real Tajik companies the syllable generator must never produce.
REAL_NAME_TOKENS = "alif somon tcell megafon babilon beeline zet humo eskhata arvand imon tojik ipoint".split()
REAL_NAME_TOKENS += "intercom orien spitamen amonat dushanbe korti nurpay zarpay avesta tamos".split()
REAL_NAME_TOKENS += "simtex lotex arizon lora barra kamron".split()  # existing words/brands elsewhere

BUILDINGS = [  # code, letter, floors, opened
    ("B1", "A", 6, dt.date(2025, 4, 7)),
    ("B2", "B", 4, dt.date(2025, 4, 7)),
    ("B3", "C", 5, dt.date(2026, 3, 1)),
]
# Occupancy the lease simulation aims for (date, share of opened area); B3 opening dilutes it.
OCC_TARGET = [
    (dt.date(2025, 4, 7), 0.22),
    (dt.date(2025, 6, 30), 0.31),
    (dt.date(2025, 12, 31), 0.52),
    (dt.date(2026, 2, 28), 0.58),
    (dt.date(2026, 3, 1), 0.45),
    (dt.date(2026, 6, 30), 0.62),
    (TODAY, 0.79),
]
RENT_RANGE = {"coworking": (14, 20), "lab": (9, 13), "datacentre": (8, 10)}  # US$/m2/month; office 10-16
OTHER_TENANTS = [
    ("University AI and Robotics Lab", "hardware_other"),
    ("Startup Incubator Programme", "software"),
    ("Commercial Bank Innovation Unit", "fintech"),
    ("Digital Skills Academy", "it_services"),
]


# ---------------------------------------------------------------- helpers


def rng_for(part: int) -> np.random.Generator:
    """One independent, fixed random stream per output part, so editing one leaves the others."""
    return np.random.default_rng([SEED, part])


def smoothstep(x: np.ndarray) -> np.ndarray:
    """S-curve from 0 (x<=0) to 1 (x>=1)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def quarter_times() -> np.ndarray:
    """Decimal year at the middle of each quarter (2018-Q1 -> 2018.125)."""
    return np.array([int(p[:4]) + (int(p[-1]) - 0.5) / 4 for p in QUARTERS])


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later (days past the month's end clipped)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def fmt1(values) -> list[str]:
    """Format numbers with one decimal, as text (stable bytes)."""
    return [f"{v:.1f}" for v in values]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, comma, header, no index, LF line endings."""
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def obs_frame(rows: list[dict]) -> pd.DataFrame:
    """Observation-template frame with the columns in order and empty text defaults."""
    df = pd.DataFrame(rows)
    for col in OBS_COLUMNS:
        if col not in df:
            df[col] = ""
    df["source_code"] = SOURCE
    return df[OBS_COLUMNS]


# ---------------------------------------------------------------- inputs


def load_geo() -> pd.DataFrame:
    """Coverage units: the 58 districts plus Dushanbe city, with their region."""
    geo = pd.read_csv(SEED_DIR / "reference" / "geo.csv", dtype=str, keep_default_na=False)
    units = geo[(geo["level"] == "district") | (geo["code"] == "TJ-DU")].copy()
    units["region"] = np.where(units["code"] == "TJ-DU", "TJ-DU", units["parent_code"])
    units["cls"] = units["code"].map(CLASS_OF).fillna("lowland")
    return units.sort_values("code")[["code", "region", "cls"]].reset_index(drop=True)


def load_national_population() -> pd.Series:
    """WDI SP.POP.TOTL for Tajikistan by year, extended to 2026 at the 2024->2025 growth rate."""
    wdi = pd.read_csv(SEED_DIR / "real" / "world_bank_wdi.csv")
    pop = wdi[(wdi["indicator_code"] == "SP.POP.TOTL") & (wdi["geo_code"] == "TJ")]
    series = pop.set_index(pop["period"].astype(int))["value"].astype(float)
    series.loc[2026] = series[2025] * series[2025] / series[2024]
    return series


def load_internet_users() -> pd.Series:
    """Real IT.NET.USER.ZS for Tajikistan by year."""
    wdi = pd.read_csv(SEED_DIR / "real" / "world_bank_wdi.csv")
    net = wdi[(wdi["indicator_code"] == "IT.NET.USER.ZS") & (wdi["geo_code"] == "TJ")]
    return net.set_index(net["period"].astype(int))["value"].astype(float)


# ---------------------------------------------------------------- population


def published_2020(census: pd.DataFrame, units: pd.DataFrame) -> dict[str, float]:
    """Published district figures brought to 2020 (2010 ones scaled by the region's growth)."""
    pop = census[census["indicator_code"] == "SP.POP.TOTL"]
    region = pop.set_index(["geo_code", "period"])["value"]
    out = {}
    for row in pop[pop["geo_code"].isin(units["code"]) & (pop["geo_code"] != "TJ-DU")].itertuples():
        reg = units.set_index("code").loc[row.geo_code, "region"]
        growth = region[(reg, 2020)] / region[(reg, 2010)] if row.period == 2010 else 1.0
        out[row.geo_code] = row.value * growth
    return out


def pop_comment(published: bool, residual: bool) -> str:
    """How a unit's 2020 figure was made, for the observation's comment."""
    if not published:
        return "share of regional remainder"
    return "published district figure brought to 2020" + (" + cities listed separately" if residual else "")


def base_population_2020(units: pd.DataFrame) -> pd.DataFrame:
    """Split each region's 2020 census total over its units; returns code, pop2020, comment."""
    census = pd.read_csv(SEED_DIR / "real" / "population_census.csv")
    regional = census[(census["indicator_code"] == "SP.POP.TOTL") & (census["period"] == 2020)]
    regional = regional.set_index("geo_code")["value"]
    published = published_2020(census, units)
    rng = rng_for(1)
    pop, comment = {"TJ-DU": regional["TJ-DU"]}, {"TJ-DU": "2020 census city total"}
    for reg in REGIONS[1:]:
        codes = units.loc[units["region"] == reg, "code"].tolist()
        known = {c: published[c] for c in codes if c in published}
        rest = regional[reg] - sum(known.values())
        weights = {c: POP_WEIGHTS[c] * rng.uniform(0.85, 1.15) for c in codes if c not in known}
        if not weights:
            weights = dict(RESIDUAL_WEIGHTS[reg])
        total_w = sum(weights.values())
        for c in codes:
            share = rest * weights.get(c, 0.0) / total_w
            pop[c] = known.get(c, 0.0) + share
            comment[c] = pop_comment(c in known, share > 0)
    return pd.DataFrame({"code": list(pop), "pop2020": list(pop.values()), "comment": [comment[c] for c in pop]})


def build_population(units: pd.DataFrame) -> pd.DataFrame:
    """TJ.POP.MODEL: per unit and year 2018-2026, grown with the national WDI series."""
    base = base_population_2020(units).set_index("code").loc[units["code"]]
    national = load_national_population()
    rows = []
    for code, rec in base.iterrows():
        for year in POP_YEARS:
            value = int(round(rec["pop2020"] * national[year] / national[2020], -2))
            rows.append(
                dict(
                    indicator_code="TJ.POP.MODEL",
                    geo_code=code,
                    period=str(year),
                    value=value,
                    breakdown="total",
                    flags="E",
                    comment=f"modelled: {rec['comment']}",
                )
            )
    return obs_frame(rows)


# ---------------------------------------------------------------- connectivity


def unit_profiles(units: pd.DataFrame) -> pd.DataFrame:
    """Fixed per-unit parameters: class defaults with a little random, fixed jitter."""
    rng = rng_for(2)
    rows = []
    for u in units.itertuples():
        p = dict(zip(CLASS_KEYS, CLASS_PARAMS[u.cls], strict=True))
        sughd_bonus = u.region == "TJ-SU" and u.cls in ("town", "lowland")
        p["code"], p["region"], p["cls"] = u.code, u.region, u.cls
        p["s4"] += rng.uniform(-0.8, 0.8) - (0.7 if sughd_bonus else 0.0)
        p["l4"] = min(99.0, p["l4"] + rng.uniform(-4.0, 3.0) + (3.0 if sughd_bonus else 0.0))
        p["v3"] += rng.uniform(-4.0, 4.0) + (5.0 if sughd_bonus else 0.0)
        p["r3"] = rng.uniform(4.0, 7.0)
        p["urban"] = p["urban"] if u.cls == "capital" else p["urban"] * rng.uniform(0.8, 1.2)
        p["net"] *= rng.uniform(0.92, 1.08)
        p["ratio"] = rng.uniform(1.7, 2.1)  # urban/rural internet use in 2018
        p["sch_r"] = rng.uniform(7.0, 10.0)
        p["speed"] = rng.uniform(0.9, 1.1)
        rows.append(p)
    return pd.DataFrame(rows).set_index("code")


def mobile_coverage(prof: pd.DataFrame, t: np.ndarray) -> dict[str, np.ndarray]:
    """Nested 2G >= 3G >= 4G >= 5G coverage (% of population), units x quarters, non-decreasing."""
    col = lambda name: prof[name].to_numpy()[:, None]  # noqa: E731
    g5 = np.zeros((len(prof), len(t)))
    for i, code in enumerate(prof.index):
        if code in FIVE_G:
            start, ceil, tau = FIVE_G[code]
            g5[i] = np.where(t >= start, ceil * (1 - np.exp(-(t - start) / tau)), 0.0)
    g4 = np.maximum(col("l4") * smoothstep((t - col("s4")) / col("r4")), g5)
    g3 = np.maximum(col("v3") + (col("l3") - col("v3")) * smoothstep((t - 2018.0) / col("r3")), g4)
    g2 = np.maximum(col("v2") + (col("l2") - col("v2")) * smoothstep((t - 2018.0) / 8.0), g3)
    return {"2G": g2, "3G": g3, "4G": g4, "5G": g5}


def urban_rural_coverage(total: np.ndarray, share: np.ndarray) -> dict[str, np.ndarray]:
    """Urban and rural mobile coverage consistent with the unit's total coverage.

    The rural/urban ratio ``q`` rises with coverage (0.5 when nothing is built, 1 when all is):
    towers reach the town first. urban = total / (s + (1 - s) q), rural = q * urban, so
    s * urban + (1 - s) * rural = total; urban is capped at 100 and rural takes the rest. Both
    rise with the total, so the 2G >= 3G >= 4G >= 5G nesting and the growth carry over.
    """
    s = share[:, None]
    q = 0.5 + 0.5 * total / 100.0
    urban = np.minimum(total / (s + (1 - s) * q), 100.0)
    rural = np.where(s < 1, (total - s * urban) / np.maximum(1 - s, 1e-9), np.nan)
    return {"urban": urban, "rural": np.minimum(rural, urban)}


def national_internet_trend(t: np.ndarray) -> np.ndarray:
    """Real ITU series at Q4 of each year, linear in between, recent pace after 2022."""
    real = load_internet_users()
    pace = (real[2022] - real[2020]) / 2
    years = [2017, 2020, 2021, 2022]
    knots = [y + 0.875 for y in years] + [2027.875]
    values = [real[y] for y in years] + [real[2022] + 5 * pace]
    return np.interp(t, knots, values)


def internet_use(prof: pd.DataFrame, t: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Total/urban/rural internet use per unit and quarter; weighted national total = real trend."""
    index = prof["net"].to_numpy()[:, None]
    trend = national_internet_trend(t)[None, :]
    total = np.minimum(trend * index / (weights * index).sum(axis=0, keepdims=True), 95.0)
    share = prof["urban"].to_numpy()[:, None]
    ratio = np.maximum(prof["ratio"].to_numpy()[:, None] - 0.06 * (t - 2018.0), 1.15)
    urban = np.minimum(total / (share + (1 - share) / ratio), 97.0)
    rural = np.where(share < 1, (total - share * urban) / np.maximum(1 - share, 1e-9), np.nan)
    return {"total": total, "urban": urban, "rural": rural}


def pop_weights(pop: pd.DataFrame, prof: pd.DataFrame) -> np.ndarray:
    """Population shares (units x quarters) from TJ.POP.MODEL of each quarter's year."""
    table = pop.pivot(index="geo_code", columns="period", values="value").astype(float)
    table = table.loc[prof.index, [p[:4] for p in QUARTERS]].to_numpy()
    return table / table.sum(axis=0, keepdims=True)


def connectivity_rows(code: str, indicator: str, values: np.ndarray, breakdown: str = "total") -> list[dict]:
    """Observation rows for one unit and indicator, one per quarter (values already rounded)."""
    return [
        dict(indicator_code=indicator, geo_code=code, period=p, value=v, breakdown=breakdown)
        for p, v in zip(QUARTERS, fmt1(values), strict=True)
    ]


def build_connectivity(units: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """All quarterly district indicators in one observation frame."""
    prof, t = unit_profiles(units), quarter_times()
    cov = {k: np.round(v, 1) for k, v in mobile_coverage(prof, t).items()}
    share = prof["urban"].to_numpy()
    cov_parts = {k: {p: np.round(a, 1) for p, a in urban_rural_coverage(v, share).items()} for k, v in cov.items()}
    net = {k: np.round(v, 1) for k, v in internet_use(prof, t, pop_weights(pop, prof)).items()}
    settl = np.round(100 * (cov["3G"] / 100) ** prof["settl"].to_numpy()[:, None], 1)
    sch_x = (t - 2018.0) / prof["sch_r"].to_numpy()[:, None]
    school = np.round(
        prof["sch0"].to_numpy()[:, None] + (prof["schl"] - prof["sch0"]).to_numpy()[:, None] * smoothstep(sch_x),
        1,
    )
    speed_curve = 4.0 + 2.6 * (t - 2018.0)
    speed = np.round(
        (3.4 + speed_curve * cov["4G"] / 100 + 10.0 * cov["5G"] / 100) * prof["speed"].to_numpy()[:, None], 1
    )
    rows = []
    for i, code in enumerate(prof.index):
        for gen in ("2G", "3G", "4G", "5G"):
            rows += connectivity_rows(code, f"TJ.MOB.{gen}.POP.ZS", cov[gen][i])
        for gen in ("2G", "3G", "4G", "5G"):  # after the totals, so their rows keep their bytes
            for part in ("urban", "rural"):
                if not (part == "rural" and code == "TJ-DU"):
                    rows += connectivity_rows(code, f"TJ.MOB.{gen}.POP.ZS", cov_parts[gen][part][i], part)
        rows += connectivity_rows(code, "TJ.SETTL.MBB.ZS", settl[i])
        for part in ("total", "urban", "rural"):
            if not (part == "rural" and code == "TJ-DU"):
                rows += connectivity_rows(code, "TJ.NET.USER.ZS", net[part][i], part)
        rows += connectivity_rows(code, "TJ.SCH.FBB.ZS", school[i])
        rows += connectivity_rows(code, "TJ.MOB.DLSPD.MED", speed[i])
    return obs_frame(rows)


# ---------------------------------------------------------------- IT companies


def founding_dates(rng: np.random.Generator) -> list[dt.date]:
    """Founding dates 2005-01-01..2026-10-31, accelerating after 2019 and after the park opened."""
    periods = [(dt.date(y, 1, 1), dt.date(y, 12, 31), 6 * 1.12 ** (y - 2005)) for y in range(2005, 2019)]
    periods += [(dt.date(y, 1, 1), dt.date(y, 12, 31), 40 * 1.15 ** (y - 2019)) for y in range(2019, 2025)]
    periods += [
        (dt.date(2025, 1, 1), PARK_OPENED - dt.timedelta(days=1), 92.0),
        (PARK_OPENED, dt.date(2025, 12, 31), 210.0),
        (dt.date(2026, 1, 1), dt.date(2026, 10, 31), 230.0),
    ]
    dates = []
    for start, end, per_year in periods:
        span = (end - start).days + 1
        n = rng.poisson(per_year * span / 365)
        dates += [start + dt.timedelta(days=int(d)) for d in rng.integers(0, span, n)]
    return sorted(dates)


def company_name(rng: np.random.Generator, subsector: str, taken: set[str]) -> str:
    """Made-up name from syllables plus a sector word; avoids known real brand tokens and repeats."""
    while True:
        stem = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        name = f"{stem} {rng.choice(NAME_WORDS[subsector])}"
        if rng.random() < 0.4:
            name += " LLC"
        awkward = re.search(r"(.)\1|[aeiou]{2}", stem.lower())  # "Kammak", "Sadoona"
        if name not in taken and not awkward and not any(tok in stem.lower() for tok in REAL_NAME_TOKENS):
            taken.add(name)
            return name


def pick_subsector(rng: np.random.Generator, founded: dt.date) -> str:
    """Telecoms are few and mostly old; software and services dominate."""
    telecom = 0.12 if founded.year < 2012 else 0.01
    rest = np.array([0.36, 0.26, 0.0, 0.13, 0.11, 0.14])
    p = rest / rest.sum() * (1 - telecom)
    p[2] = telecom
    return str(rng.choice(SUBSECTORS, p=p))


def build_companies() -> pd.DataFrame:
    """The synthetic IT company registry."""
    rng = rng_for(3)
    rows, taken = [], set()
    for i, founded in enumerate(founding_dates(rng), start=1):
        sub = pick_subsector(rng, founded)
        region = "TJ-DU" if sub == "telecom" else str(rng.choice(REGIONS, p=REGION_P))
        life = np.inf if sub == "telecom" else max(rng.exponential(13.0) * 365.25, 200)  # telecoms stay
        closed = founded + dt.timedelta(days=int(min(life, 99 * 365)))
        rows.append(
            dict(
                company_id=f"C{i:04d}",
                name=company_name(rng, sub, taken),
                subsector=sub,
                region_code=region,
                founded=founded.isoformat(),
                closed=closed.isoformat() if closed < TODAY else "",
            )
        )
    return pd.DataFrame(rows)


REV_PER_EMPLOYEE = {
    "software": 14000,
    "it_services": 11000,
    "telecom": 45000,
    "ecommerce": 16000,
    "fintech": 22000,
    "hardware_other": 15000,
}
EXPORT_SHARE = {
    "software": 0.35,
    "it_services": 0.20,
    "telecom": 0.02,
    "ecommerce": 0.05,
    "fintech": 0.06,
    "hardware_other": 0.03,
}


def company_size(rng: np.random.Generator, subsector: str) -> float:
    """Mature head count: mostly 2-30, a few scale-ups of 100-250, telecoms 60-400."""
    if subsector == "telecom":
        return rng.uniform(60, 400)
    if rng.random() < 0.02:
        return rng.uniform(100, 250)
    return float(np.clip(rng.lognormal(np.log(9), 0.7), 1, 80))


def company_year_rows(rng: np.random.Generator, comp: pd.Series) -> list[dict]:
    """Yearly employees, revenue and exports of one company for 2015-2025 while active."""
    founded = dt.date.fromisoformat(comp["founded"])
    closed = dt.date.fromisoformat(comp["closed"]) if comp["closed"] else None
    size, productivity = company_size(rng, comp["subsector"]), rng.lognormal(0, 0.35)
    export_share = min(0.9, EXPORT_SHARE[comp["subsector"]] * rng.beta(2, 3) * 2.5)
    rows = []
    for year in range(2015, 2026):
        if founded > dt.date(year, 12, 31) or (closed and closed < dt.date(year, 1, 1)):
            continue
        age = (dt.date(year, 7, 1) - founded).days / 365.25
        employees = min(400, max(1, round(size * min(1.0, 0.25 + 0.15 * max(age, 0)) * rng.uniform(0.9, 1.1))))
        revenue = int(
            round(
                employees
                * REV_PER_EMPLOYEE[comp["subsector"]]
                * productivity
                * 1.07 ** (year - 2015)
                * rng.uniform(0.9, 1.1),
                -2,
            )
        )
        exports = min(revenue, int(round(revenue * export_share * (1.3 if year == 2025 else 1.0), -2)))
        rows.append(
            dict(
                company_id=comp["company_id"],
                year=year,
                employees=employees,
                revenue_usd=revenue,
                exports_usd=exports,
            )
        )
    return rows


def build_company_years(companies: pd.DataFrame) -> pd.DataFrame:
    """One row per company per calendar year 2015-2025 in which it was active."""
    rng = rng_for(4)
    rows = []
    for _, comp in companies.iterrows():
        rows += company_year_rows(rng, comp)
    return pd.DataFrame(rows, columns=["company_id", "year", "employees", "revenue_usd", "exports_usd"])


# ---------------------------------------------------------------- IT Park


def build_buildings() -> pd.DataFrame:
    """The park's buildings."""
    return pd.DataFrame(
        [
            dict(
                building_code=code,
                name_en=f"Building {letter}",
                name_ru=f"Корпус {letter}",
                name_tg=f"Бинои {letter}",
                floors=floors,
                opened=opened.isoformat(),
            )
            for code, letter, floors, opened in BUILDINGS
        ]
    )


def unit_type_and_area(rng: np.random.Generator, building: str, floor: int, number: int) -> tuple[str, float]:
    """Type and area of one unit: offices mostly, coworking/labs low, one data centre in B2."""
    if building == "B2" and floor == 1 and number == 1:
        return "datacentre", rng.uniform(300, 400)
    if floor == 1 and number == 2:
        return "coworking", rng.uniform(180, 400)
    if floor <= 2 and rng.random() < 0.2:
        return "lab", rng.uniform(60, 180)
    area = rng.uniform(20, 120) if rng.random() < 0.9 else rng.uniform(120, 250)
    return "office", area


def build_units() -> pd.DataFrame:
    """Leasable units, 6-12 per floor."""
    rng = rng_for(5)
    rows = []
    for code, _, floors, _ in BUILDINGS:
        for floor in range(1, floors + 1):
            for number in range(1, int(rng.integers(6, 13)) + 1):
                kind, area = unit_type_and_area(rng, code, floor, number)
                rows.append(
                    dict(
                        unit_code=f"{code}-{floor}-{number:02d}",
                        building_code=code,
                        floor=floor,
                        area_m2=f"{area:.1f}",
                        unit_type=kind,
                    )
                )
    return pd.DataFrame(rows)


class LeaseBook:
    """Mutable state of the lease simulation: leases so far and when each unit is free again."""

    def __init__(self, units: pd.DataFrame, companies: pd.DataFrame, rng: np.random.Generator):
        opened = {code: day for code, _, _, day in BUILDINGS}
        self.units = units.assign(
            area=units["area_m2"].astype(float), opened=units["building_code"].map(opened)
        ).set_index("unit_code")
        self.free_from = dict(self.units["opened"])  # None = let open-ended
        self.companies, self.rng = companies, rng
        self.leases, self.tenants, self.used_companies = [], [], set()

    def occupancy(self, day: dt.date) -> float:
        """Leased area / area of opened buildings on ``day`` (reservations excluded)."""
        total = self.units.loc[self.units["opened"] <= day, "area"].sum()
        leased = sum(
            self.units.at[ls["unit_code"], "area"]
            for ls in self.leases
            if ls["kind"] == "lease" and ls["start"] <= day and (ls["end"] is None or ls["end"] >= day)
        )
        return leased / total

    def vacant(self, day: dt.date) -> list[str]:
        """Units that can take a new lease starting on ``day``."""
        return [u for u, free in self.free_from.items() if free is not None and free <= day]

    def new_tenant(self, day: dt.date) -> int:
        """Register a tenant: mostly a registry company active on ``day`` that never closed."""
        if self.rng.random() < 0.08 and len(self.tenants) < 60:
            other = [o for o in OTHER_TENANTS if o[0] not in {t["name"] for t in self.tenants}]
            if other:
                name, sector = other[int(self.rng.integers(len(other)))]
                self.tenants.append(dict(name=name, sector=sector, company_id=""))
                return len(self.tenants) - 1
        c = self.companies
        ok = c[(c["closed"] == "") & (c["founded"] <= day.isoformat()) & ~c["company_id"].isin(self.used_companies)]
        w = np.where(ok["region_code"] == "TJ-DU", 4.0, 1.0) * np.where(ok["subsector"] == "telecom", 0.3, 1.0)
        comp = ok.iloc[int(self.rng.choice(len(ok), p=w / w.sum()))]
        self.used_companies.add(comp["company_id"])
        self.tenants.append(dict(name=comp["name"], sector=comp["subsector"], company_id=comp["company_id"]))
        return len(self.tenants) - 1

    def pick_tenant(self, day: dt.date) -> int:
        """An existing tenant expanding (a quarter of the time) or a new one."""
        holders = sorted({ls["tenant"] for ls in self.leases if ls["end"] is None or ls["end"] >= day})
        if holders and self.rng.random() < 0.25:
            return holders[int(self.rng.integers(len(holders)))]
        return self.new_tenant(day)

    def term_end(self, start: dt.date) -> dt.date | None:
        """Open-ended (a third) or a fixed term of 6-36 months."""
        if self.rng.random() < 0.33:
            return None
        return add_months(start, int(self.rng.choice([6, 12, 12, 24, 24, 36]))) - dt.timedelta(days=1)

    def add(self, unit: str, tenant: int, start: dt.date, end: dt.date | None, kind: str = "lease") -> None:
        """Record a lease and, for a fixed term, maybe the same tenant's renewal right after it."""
        self.leases.append(dict(unit_code=unit, tenant=tenant, kind=kind, start=start, end=end))
        self.free_from[unit] = None if end is None else end + dt.timedelta(days=1)
        renew_start = None if end is None else end + dt.timedelta(days=1)
        if kind == "lease" and renew_start and renew_start <= TODAY + dt.timedelta(days=45):
            if self.rng.random() < 0.45:
                self.add(unit, tenant, renew_start, self.term_end(renew_start))

    def fill(self, day: dt.date, target: float) -> None:
        """Let vacant units from ``day`` until occupancy reaches ``target``."""
        while self.occupancy(day) < target:
            vacant = self.vacant(day)
            if not vacant:
                return
            unit = vacant[int(self.rng.integers(len(vacant)))]
            self.add(unit, self.pick_tenant(day), day, self.term_end(day))


def occupancy_target(day: dt.date) -> float:
    """Target occupancy on ``day``, linear between the OCC_TARGET points."""
    xs = [d.toordinal() for d, _ in OCC_TARGET]
    return float(np.interp(day.toordinal(), xs, [v for _, v in OCC_TARGET]))


def simulate_leases(units: pd.DataFrame, companies: pd.DataFrame) -> LeaseBook:
    """Weekly lease-up from opening to today, then a few signed future leases and reservations."""
    book = LeaseBook(units, companies, rng_for(6))
    steps = {PARK_OPENED + dt.timedelta(days=7 * k) for k in range(200)}
    steps = sorted(d for d in steps | {b[3] for b in BUILDINGS} if d <= TODAY)
    for day in steps:
        book.fill(day, occupancy_target(day))
    vacant = book.vacant(TODAY)  # free from today on, with nothing let after
    picks = book.rng.choice(vacant, size=min(7, len(vacant)), replace=False)
    for k, unit in enumerate(sorted(str(u) for u in picks)):
        kind = "lease" if k % 2 == 0 else "reservation"
        start = dt.date(2026, 12, 1) if k < 2 else add_months(dt.date(2027, 1, 1), k - 2)
        end = book.term_end(start) if kind == "lease" else None
        book.leases.append(dict(unit_code=unit, tenant=book.new_tenant(TODAY), kind=kind, start=start, end=end))
        book.free_from[unit] = None
    return book


def lease_jobs(rng: np.random.Generator, unit_type: str, area: float) -> int:
    """People working in a unit: about 1 per 6-10 m2 (labs fewer, a data centre very few)."""
    per_person = {"datacentre": 40.0, "lab": rng.uniform(9, 12)}.get(unit_type, rng.uniform(6, 10))
    return max(1, int(round(area / per_person)))


def build_park(companies: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Buildings, units, tenants and leases of the IT Park."""
    units = build_units()
    book = simulate_leases(units, companies)
    rng = rng_for(7)
    leases = sorted(book.leases, key=lambda ls: (ls["start"], ls["unit_code"]))
    order = list(dict.fromkeys(ls["tenant"] for ls in leases))
    code_of = {t: f"T{i:03d}" for i, t in enumerate(order, start=1)}
    tenants = pd.DataFrame([dict(tenant_code=code_of[t], **book.tenants[t]) for t in order])
    rows = []
    for i, ls in enumerate(leases, start=1):
        unit = book.units.loc[ls["unit_code"]]
        base_rent = RENT_RANGE.get(unit["unit_type"], (10, 16))
        rows.append(
            dict(
                lease_id=f"L{i:04d}",
                unit_code=ls["unit_code"],
                tenant_code=code_of[ls["tenant"]],
                kind=ls["kind"],
                start_date=ls["start"].isoformat(),
                end_date=ls["end"].isoformat() if ls["end"] else "",
                rent_usd_m2_month=int(rng.integers(base_rent[0], base_rent[1] + 1)),
                jobs=lease_jobs(rng, unit["unit_type"], unit["area"]),
            )
        )
    return {
        "park_buildings": build_buildings(),
        "park_units": units,
        "park_tenants": tenants[["tenant_code", "name", "sector", "company_id"]],
        "park_leases": pd.DataFrame(rows),
    }


# ---------------------------------------------------------------- main


def build_all() -> dict[str, pd.DataFrame]:
    """Every synthetic table, keyed by file stem."""
    units = load_geo()
    population = build_population(units)
    companies = build_companies()
    return {
        "population_model": population,
        "connectivity_districts": build_connectivity(units, population),
        "it_companies": companies,
        "it_company_years": build_company_years(companies),
        **build_park(companies),
    }


def main(out_dir: Path | str = OUT_DIR) -> dict[str, Path]:
    """Write all synthetic CSV files into ``out_dir``; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for stem, df in build_all().items():
        paths[stem] = out / f"{stem}.csv"
        write_csv(df, paths[stem])
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    for path in main(parser.parse_args().out).values():
        print(f"{path}: {sum(1 for _ in path.open(encoding='utf-8')) - 1} rows")
