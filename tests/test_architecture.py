"""Layers: `mall ← catalog ← orders ← fulfillment ← seed_data`; domain.py stays framework-free."""

import ast
import re
from pathlib import Path

import pytest

from mall.errors import all_error_classes

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["mall", "catalog", "orders", "fulfillment", "seed_data"]
FRAMEWORKS = {"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "stripe", "werkzeug", "whoosh"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _package_files(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("package", LAYERS)
def test_no_package_imports_a_higher_one(package):
    higher = set(LAYERS[LAYERS.index(package) + 1 :])
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _package_files(package)
        for name in _imports(path)
        if name.split(".")[0] in higher
    ]
    assert offenders == []


def test_domain_modules_import_no_framework():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in LAYERS
        for path in _package_files(package)
        if path.name == "domain.py" or "domain" in path.parts
        for name in _imports(path)
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert offenders == []


def test_only_the_clock_reads_the_time():
    offenders = []
    for package in LAYERS:
        for path in _package_files(package):
            if path.name == "clock.py":
                continue
            text = path.read_text(encoding="utf-8")
            if "datetime.now(" in text or "date.today(" in text or "utcnow(" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_error_codes_are_unique_snake_case(app):
    codes = [cls.code for cls in all_error_classes() if "tests" not in cls.__module__]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(code.replace("_", "").isalpha() and code == code.lower() for code in codes)


# ---- the style guide's rules that a reader checks by eye, checked here ----------------------------

SCREEN_PACKAGES = ["mall", "catalog", "orders", "fulfillment", "seed_data", "scripts"]
MAX_FUNCTION_LINES = 60
WORDED_DIRS = ["mall", "catalog", "orders", "fulfillment", "seed_data", "scripts", "tests", "bench"]
# Planning talk, not product talk: issue numbers and promises of what comes next.
PLANNING_WORDS = re.compile(
    r"(?i:\bissues?\s*#?\d+|\blater\s+issues?\b|\bas they are built\b|\bcomes?\s+later\b)|\bTO"
    + r"DO\b|\bFIX"
    + r"ME\b"
)
SOURCE_SUFFIXES = {".py", ".html", ".toml", ".cfg", ".txt", ".md", ".js", ".css"}


def _source_files(directories: list[str]) -> list[Path]:
    return [
        path
        for directory in directories
        for path in (ROOT / directory).rglob("*")
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
    ]


def test_every_function_fits_a_screen():
    too_long = []
    for package in SCREEN_PACKAGES:
        for path in _package_files(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        too_long.append(f"{path.relative_to(ROOT)}::{node.name} ({lines} lines)")
    assert too_long == []


def test_the_code_speaks_of_the_product_not_of_the_plan():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
        for path in _source_files(WORDED_DIRS)
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if PLANNING_WORDS.search(line)
    ]
    assert offenders == []


def test_tests_name_the_error_they_expect():
    broad = re.compile(r"pytest\.raises\(\s*(Base)?Exception\s*[,)]")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if broad.search(line)
    ]
    assert offenders == []


def test_money_is_formatted_by_format_yuan_only():
    # `fen / 100` with a format ("{x / 100:.2f}", "%.2f" % (x / 100), "(x / 100)|round") bypasses
    # mall.money.format_yuan: floats, no grouping, no sign rules.
    division = re.compile(r"/\s*100(\.0*)?\b(?!\s*%)")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
        for path in _source_files(SCREEN_PACKAGES)
        if path.suffix in {".py", ".html"} and path.name != "money.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if division.search(line)
    ]
    assert offenders == []
