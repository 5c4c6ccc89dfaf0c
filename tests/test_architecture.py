"""Layers: `mall ← catalog ← orders ← fulfillment ← seed_data`; domain.py stays framework-free."""

import ast
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
