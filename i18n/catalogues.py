"""Extract, update and compile the gettext catalogues with Babel's own API.

Why a module and not only ``pybabel`` commands:

* the missing-translation test must extract exactly as the maintainers do;
* on Python 3.11 Babel's python extractor sees an f-string as one token, so ``t("as of")`` inside
  ``f"{t('as of')} {day}"`` is never extracted and stays English. Python files are therefore read
  with :func:`extract_python_ast` (the syntax tree finds a call anywhere, f-strings included),
  through Babel's ``extract_from_dir`` with the patterns of ``babel.cfg``;
* Babel marks "% of population" as a python-format string ("% o" is a valid conversion), which
  then refuses to compile against "% населения". The UI never %-formats a translated string, so
  that flag is dropped unless the text holds a real placeholder such as ``%(name)s`` or ``%s``.

Usage (from the repository root)::

    python -m i18n.catalogues update    # extract to i18n/messages.pot, merge into every .po
    python -m i18n.catalogues compile   # .po -> .mo (commit both)

Bare ``pybabel extract``/``update`` is not a substitute: it drops the f-string texts (measured:
329 -> 260 msgids) and re-adds the python-format flag, which then fails to compile.
"""

from __future__ import annotations

import ast
import csv
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from i18n import LANGUAGES, LOCALES_DIR

ROOT = LOCALES_DIR.parent.parent
TEMPLATE = LOCALES_DIR.parent / "messages.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "t": None, "N_": None}
# Directories that hold no UI text (tests check translations, they do not define them).
SKIP_DIRS = {"tests", "scripts", "docs", "instance", "node_modules", ".git", ".ci", "__pycache__"}
REAL_PLACEHOLDER = re.compile(r"%(\([^)]+\))?[-#0 +]*\d*(\.\d+)?[sdifrxXeEgGc]")
PROJECT = "Tajikistan digitalization dashboard"


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def _literal_strings(node: ast.AST, constants: dict[str, list[str]]) -> list[str]:
    """The strings of a literal tuple/list (or of a name bound to one), else nothing."""
    if isinstance(node, ast.Name):
        return constants.get(node.id, [])
    if isinstance(node, (ast.Tuple, ast.List)) and node.elts:
        if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            return [e.value for e in node.elts]
    return []


def _keyword_calls(node: ast.AST, keywords) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in keywords and n.args
    ]


def extract_python_ast(fileobj, keywords, comment_tags, options):
    """A Babel extraction method: every ``keyword("literal", ...)`` call in a Python file.

    Same results as Babel's ``python`` method for this code base, plus calls inside f-strings, and
    the common loop over literal headers: ``[t(h) for h in ("Theme", "Data until")]`` (also when
    the tuple is bound to a name first, ``head = (...)`` ... ``for h in head``).
    """
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    constants: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            # every literal list bound to the name, anywhere in the file (headers passed on to a helper)
            constants.setdefault(node.targets[0].id, []).extend(_literal_strings(node.value, {}))
    for node in ast.walk(tree):
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops = [(g.target, g.iter, node) for g in node.generators]
        elif isinstance(node, ast.For):
            loops = [(node.target, node.iter, ast.Module(body=node.body, type_ignores=[]))]
        else:
            loops = []
        for target, source, scope in loops:
            strings = _literal_strings(source, constants) if isinstance(target, ast.Name) else []
            for call in _keyword_calls(scope, keywords) if strings else []:
                if isinstance(call.args[0], ast.Name) and call.args[0].id == target.id:
                    for text in strings:
                        yield call.lineno, call.func.id, text, []
    for call in _keyword_calls(tree, keywords):
        if isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
            yield call.lineno, call.func.id, call.args[0].value, []


def runtime_messages() -> list[tuple[str, str]]:
    """Texts shown through ``t(value)`` that no extractor can see: built at import time (f-strings
    with numbers in ``metrics.status``) or computed from data. Prefer ``N_()`` where the text is
    defined; list here only what cannot be marked that way."""
    from metrics.status import METHOD, RULE

    statuses = ("met", "on track", "at risk", "off track")  # pages/targets.py: t(status.replace("_", " "))
    return [("metrics/status.py", RULE), ("metrics/status.py", METHOD)] + [("pages/targets.py", s) for s in statuses]


REFERENCE = ROOT / "seed_data" / "reference"
# A licence that is an identifier ("CC BY 4.0", "ODbL 1.0") stays as it is; one with words is text.
LICENCE_ID = re.compile(r"^(CC0|CC BY(-SA|-ND|-NC)*|ODbL|PDDL|OGL)[\w.-]* ?[\d.]*$")


def _rows(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_messages() -> list[tuple[str, str]]:
    """English texts of the seed's reference data that the database keeps in English only and the
    UI shows: sources' citations and worded licences, indicators' definitions and methods; also
    the sources' names (the database has name_ru/name_tg; the catalogue lets a page without a
    query per row translate them, filled from those columns by :func:`update`)."""
    found = []
    for row in _rows("sources.csv"):
        found += [
            ("seed_data/reference/sources.csv", row["name"]),
            ("seed_data/reference/sources.csv", row["citation"]),
        ]
        if not LICENCE_ID.match(row["licence"]):
            found.append(("seed_data/reference/sources.csv", row["licence"]))
    for row in _rows("indicators.csv"):
        found += [("seed_data/reference/indicators.csv", row[k]) for k in ("definition", "method")]
    return [(where, text) for where, text in found if text.strip()]


def reference_names(lang: str) -> dict[str, str]:
    """English source name -> its ``lang`` name, as sources.csv holds them."""
    return {row["name"]: row.get(f"name_{lang}", "") for row in _rows("sources.csv") if row.get(f"name_{lang}")}


def _mapping() -> list[tuple[str, object]]:
    """The file patterns of ``babel.cfg``, Python files read by :func:`extract_python_ast`."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle)
    return [(pattern, extract_python_ast if method == "python" else method) for pattern, method in method_map]


def _skip(dirname: str) -> bool:
    return Path(dirname).name not in SKIP_DIRS and not Path(dirname).name.startswith(".")


def extract(root: Path = ROOT) -> Catalog:
    """Every translatable string of the source tree: ``t("...")``, ``N_("...")`` and gettext calls."""
    catalog = Catalog(project=PROJECT, charset="utf-8")
    found = extract_from_dir(str(root), method_map=_mapping(), keywords=KEYWORDS, directory_filter=_skip)
    for filename, lineno, message, comments, context in sorted(found, key=lambda m: (m[0], m[1])):
        if message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for filename, message in runtime_messages() + reference_messages():
        catalog.add(message, None, [(filename, 0)])
    _drop_false_formats(catalog)
    return catalog


def _drop_false_formats(catalog: Catalog) -> None:
    for message in catalog:
        if message.id and not REAL_PLACEHOLDER.search(str(message.id)):
            message.flags.discard("python-format")


def read(lang: str) -> Catalog:
    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def write(lang: str, catalog: Catalog) -> None:
    with open(po_path(lang), "wb") as handle:
        write_po(handle, catalog, width=100, ignore_obsolete=True)


def update() -> None:
    """Extract to the template and merge it into every language's catalogue (new ids empty)."""
    template = extract()
    with open(TEMPLATE, "wb") as handle:
        write_po(handle, template, width=100)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project=PROJECT, charset="utf-8")
        with open(TEMPLATE, "rb") as handle:  # a fresh template each time: update() shares its messages
            fresh = read_po(handle)
        catalog.update(fresh, no_fuzzy_matching=True)
        for english, name in reference_names(lang).items():
            message = catalog.get(english)
            if message is not None and not message.string:
                message.string = name
        _drop_false_formats(catalog)
        write(lang, catalog)


def compile_all() -> None:
    """Write every ``messages.mo`` from its ``messages.po`` (fuzzy entries are left out)."""
    for lang in LANGUAGES:
        catalog = read(lang)
        with open(po_path(lang).with_suffix(".mo"), "wb") as handle:
            write_mo(handle, catalog)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit("usage: python -m i18n.catalogues update|compile")
