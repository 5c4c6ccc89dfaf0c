"""The demo data files (seed_data/data/) hold together: keys, categories, county codes and prices."""

from __future__ import annotations

from collections import Counter

import pytest

from catalog.domain.states import EntityType, Storage
from mall.bounds import MAX_UNIT_PRICE_FEN
from mall.regions.services import read_cpca_rows
from seed_data import datafiles
from seed_data.categories import CATEGORIES


@pytest.fixture(scope="module")
def cpca_names() -> dict[str, str]:
    return {row.code: row.name for row in read_cpca_rows()}


def test_every_county_is_a_real_code_with_its_real_name(cpca_names):
    counties = datafiles.counties()
    assert len(counties) > 100
    wrong = [(c.code, c.name) for c in counties if cpca_names.get(c.code) != c.name]
    assert wrong == []
    assert [code for code, n in Counter(c.code for c in counties).items() if n > 1] == []


def test_every_supplier_is_registered_in_a_listed_eligible_county():
    counties = {c.code: c for c in datafiles.counties()}
    suppliers = datafiles.suppliers()
    assert [k for k, n in Counter(s.key for s in suppliers).items() if n > 1] == []
    assert [k for k, n in Counter(s.name for s in suppliers).items() if n > 1] == []
    for s in suppliers:
        county = counties[s.county_code]
        assert county.poverty or county.provincial_key, s.key
        assert s.entity_type in set(EntityType), s.key


def test_every_product_names_a_known_supplier_category_and_storage_with_sane_prices():
    suppliers = {s.key for s in datafiles.suppliers()}
    slugs = {slug for slug, _, _ in CATEGORIES}
    products = datafiles.products()
    assert len(products) > 100
    for p in products:
        assert p.supplier_key in suppliers, p.name
        assert p.category in slugs, p.name
        assert p.storage in set(Storage), p.name
        assert 0 < p.shelf_life_days <= 3650, p.name
        assert 1 <= len(p.variants) <= 3, p.name
        for v in p.variants:
            assert type(v.price_fen) is int and 100 <= v.price_fen <= MAX_UNIT_PRICE_FEN, (p.name, v.spec)
            assert v.spec and v.sale_unit, p.name
    names = Counter((p.supplier_key, p.name) for p in products)
    assert [k for k, n in names.items() if n > 1] == []


def test_every_supplier_sells_something():
    selling = {p.supplier_key for p in datafiles.products()}
    assert [s.key for s in datafiles.suppliers() if s.key not in selling] == []


def test_a_malformed_row_is_reported_with_its_file_and_line(tmp_path, monkeypatch):
    # given a suppliers file whose second row has a flag that is neither 1 nor empty
    (tmp_path / "suppliers.csv").write_text(
        "key,name,county_code,entity_type,served_by_coop,intro\n"
        "a,甲公司,621102,enterprise,1,简介\n"
        "b,乙公司,621102,enterprise,是,简介\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    datafiles.suppliers.cache_clear()
    try:
        # when / then
        with pytest.raises(datafiles.DataFileError, match=r"suppliers\.csv:3"):
            datafiles.suppliers()
    finally:
        datafiles.suppliers.cache_clear()


def test_a_product_without_variants_is_refused(tmp_path, monkeypatch):
    (tmp_path / "products.toml").write_text(
        '[[product]]\nname = "某县大米"\nsupplier = "a"\ncategory = "grain-oil"\n', encoding="utf-8"
    )
    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    datafiles.products.cache_clear()
    try:
        with pytest.raises(datafiles.DataFileError, match="某县大米"):
            datafiles.products()
    finally:
        datafiles.products.cache_clear()
