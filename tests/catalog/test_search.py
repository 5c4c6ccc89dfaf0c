"""Product search over a real Whoosh index in a per-test folder: a relevance table, pinyin and
initials, synonyms, filters, facet counts checked against the database, highlights, suggestions,
the outbox, rebuilds, the results page and `GET /api/v1/search`."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, or_, select

from catalog import search
from catalog.domain import ListFilters, ListingInput, ProductStatus, SortKey, SourceProgram, Storage
from catalog.models import Category, Product
from catalog.search import ranking, whoosh
from catalog.search.whoosh import SCHEMA_VERSION, VERSION_FILE, WriterBusyError
from catalog.services import listings
from mall.accounts.domain import Role
from mall.extensions import db
from tests.factories import make_category, make_product, make_region, make_supplier, make_supplier_user, make_user

PLACES = {
    "620000": "甘肃省",
    "621100": "定西市",
    "621102": "安定区",
    "621121": "通渭县",
    "621122": "陇西县",
    "500000": "重庆市",
    "500200": "重庆市",
    "500229": "城口县",
    "500237": "巫山县",
    "500238": "巫溪县",
    "500243": "彭水苗族土家族自治县",
    "650000": "新疆维吾尔自治区",
    "653100": "喀什地区",
    "653127": "麦盖提县",
    "653200": "和田地区",
    "653221": "和田县",
    "370000": "山东省",
    "370800": "济宁市",
    "370831": "泗水县",
    "371300": "临沂市",
    "371327": "莒南县",
}

# key: (title, category slug, county, price_fen, sales, extra columns)
CATALOGUE = {
    "potato_fresh": ("定西马铃薯 鲜薯 5kg/箱", "fruit-veg", "621102", 1_980, 50, {}),
    "potato_noodle": ("定西土豆宽粉条 2.5kg/箱", "dried", "621102", 5_200, 10, {}),
    "wuxi_potato": ("巫溪洋芋 高山土豆 10kg/箱", "fruit-veg", "500238", 4_500, 0, {}),
    "jujube": (
        "和田大枣 一级 1kg/袋",
        "dried",
        "653221",
        4_800,
        0,
        {"description": "和田绿洲光照充足，大枣个大肉厚。"},
    ),
    "grey_jujube": ("麦盖提灰枣 500g/袋", "dried", "653127", 2_600, 0, {}),
    "chengkou_pork": (
        "城口老腊肉 柴火熏制 500g/袋",
        "meat-egg",
        "500229",
        6_800,
        5,
        {
            "storage": Storage.CHILLED,
            "program": SourceProgram.NATIONAL_POVERTY,
            "description": "大巴山散养黑猪，柴火慢熏。",
        },
    ),
    "longxi_pork": ("陇西腊肉 传统腌制 1kg/袋", "meat-egg", "621122", 8_800, 300, {}),
    "sweet_potato": (
        "泗水地瓜 红薯 5kg/箱",
        "fruit-veg",
        "370831",
        3_500,
        0,
        {"program": SourceProgram.PROVINCIAL_KEY},
    ),
    "sweet_potato_noodle": ("巫山红薯粉条 1kg/袋", "dried", "500237", 3_200, 0, {}),
    "pengshui": ("彭水晶丝苕粉 500g/袋", "dried", "500243", 2_800, 0, {}),
    "peanut_oil": ("莒南压榨花生油 5L/桶", "grain-oil", "371327", 12_800, 0, {"program": SourceProgram.PROVINCIAL_KEY}),
    "tea": ("通渭苦荞茶 全胚型 300g/罐", "tea", "621121", 6_800, 0, {}),
    "honey": ("城口中华蜂蜜 百花蜜 500g/瓶", "dried", "500229", 58_000, 0, {}),
}
CATEGORY_NAMES = {"fruit-veg": "果蔬", "dried": "干货", "meat-egg": "肉禽蛋", "grain-oil": "粮油", "tea": "茶饮"}
STANDING = {"500229": 95, "621122": 70}  # supplier standing by county; others keep the default 80


@pytest.fixture
def app_overrides(tmp_path):
    return {"SEARCH_INDEX_DIR": str(tmp_path / "search")}


@pytest.fixture
def catalogue(app):
    for code, name in PLACES.items():
        make_region(code, name=name)
    make_region("500229", is_national_key=True)
    suppliers = {
        code: make_supplier(
            region_code=code, name=f"{PLACES[code]}测试农业合作社", standing_score=STANDING.get(code, 80)
        )
        for code in {c for _, _, c, _, _, _ in CATALOGUE.values()}
    }
    categories = {slug: make_category(slug, name) for slug, name in CATEGORY_NAMES.items()}
    products = {
        key: make_product(
            supplier=suppliers[county],
            category=categories[slug],
            title=title,
            price_fen=price,
            sales_qty=sales,
            **extra,
        )
        for key, (title, slug, county, price, sales, extra) in CATALOGUE.items()
    }
    products["pending"] = make_product(
        supplier=suppliers["621102"],
        category=categories["dried"],
        title="待审核的定西土豆",
        status=ProductStatus.PENDING,
    )
    products["delisted"] = make_product(
        supplier=suppliers["500238"],
        category=categories["dried"],
        title="下架的巫溪土豆",
        status=ProductStatus.DELISTED,
    )
    db.session.commit()
    search.rebuild_index(db.session)
    return products


def find(q: str = "", **filters) -> search.SearchResult:
    return search.search_products(db.session, ListFilters(q=q, per_page=filters.pop("per_page", 50), **filters))


def ids(result) -> list[int]:
    return [h.product_id for h in result.hits]


def keys(catalogue, result) -> list[str]:
    by_id = {p.id: key for key, p in catalogue.items()}
    return [by_id[i] for i in ids(result)]


# ---- relevance: queries -> expected results ------------------------------------------------------

RELEVANCE = [
    # (query, expected first results in order, also somewhere in the results, never in the results)
    ("腊肉", ["chengkou_pork", "longxi_pork"], [], ["potato_fresh"]),  # equally relevant: standing 95 before 70
    ("土豆", [], ["potato_noodle", "wuxi_potato", "potato_fresh"], ["sweet_potato", "pending", "delisted"]),
    ("马铃薯", ["potato_fresh"], ["potato_noodle", "wuxi_potato"], ["sweet_potato"]),
    ("洋芋", ["wuxi_potato"], ["potato_fresh", "potato_noodle"], []),
    ("地瓜", ["sweet_potato"], ["sweet_potato_noodle"], ["potato_fresh"]),
    ("红苕", [], ["sweet_potato", "sweet_potato_noodle"], ["potato_fresh"]),
    ("hetiandazao", ["jujube"], [], ["grey_jujube"]),
    ("htdz", ["jujube"], [], ["grey_jujube"]),
    ("he tian da zao", ["jujube"], [], []),
    ("HeTian", ["jujube"], [], []),
    ("tudou", [], ["potato_noodle", "wuxi_potato", "potato_fresh"], ["sweet_potato"]),
    ("mls", ["potato_fresh"], ["potato_noodle", "wuxi_potato"], []),
    ("红枣", [], ["jujube", "grey_jujube"], []),
    ("灰枣", ["grey_jujube"], [], ["jujube"]),  # a narrower word does not find the broader one
    ("彭水", ["pengshui"], [], []),
    ("pengshui", ["pengshui"], [], []),
    ("定西", ["potato_fresh", "potato_noodle"], ["tea", "longxi_pork"], ["wuxi_potato"]),  # title, then the city
    ("定西 粉条", ["potato_noodle"], [], ["potato_fresh", "sweet_potato_noodle"]),
    ("甘肃 腊肉", ["longxi_pork"], [], ["chengkou_pork"]),
    ("花生油", ["peanut_oil"], [], []),
    ("冷藏", ["chengkou_pork"], [], ["longxi_pork"]),
    ("苦荞", ["tea"], [], []),
    ("蜂蜜", ["honey"], [], []),
    ("柴火", ["chengkou_pork"], [], []),
    ("黑猪", ["chengkou_pork"], [], []),  # only its description says so
]


@pytest.mark.parametrize(("q", "first", "included", "excluded"), RELEVANCE, ids=[r[0] for r in RELEVANCE])
def test_relevance_table(catalogue, q, first, included, excluded):
    found = keys(catalogue, find(q))
    assert found[: len(first)] == first
    assert set(included) <= set(found)
    assert not set(excluded) & set(found)


def test_literal_matches_rank_above_synonym_matches(catalogue):
    found = keys(catalogue, find("土豆"))
    assert set(found[:2]) == {"potato_noodle", "wuxi_potato"}
    assert found.index("potato_fresh") > 1


def test_equally_relevant_products_go_by_standing_then_sales(catalogue):
    # 腊肉: 城口 (standing 95, 5 sold) before 陇西 (standing 70, 300 sold)
    assert keys(catalogue, find("腊肉")) == ["chengkou_pork", "longxi_pork"]
    # 定西: two title matches from one supplier (same standing): the better seller first
    assert keys(catalogue, find("定西"))[:2] == ["potato_fresh", "potato_noodle"]


def test_pending_and_delisted_products_are_never_found(catalogue):
    found = set(keys(catalogue, find("")))
    assert "pending" not in found and "delisted" not in found
    assert len(found) == len(CATALOGUE)


# ---- filters and facets ----------------------------------------------------------------------------


def test_filters_combine_with_the_words(catalogue):
    assert keys(catalogue, find("腊肉", province="500000")) == ["chengkou_pork"]
    assert keys(catalogue, find("腊肉", county="621122")) == ["longxi_pork"]
    assert keys(catalogue, find("土豆", category="fruit-veg")) == ["wuxi_potato", "potato_fresh"]
    assert keys(catalogue, find("", storage=Storage.CHILLED)) == ["chengkou_pork"]
    assert set(keys(catalogue, find("", program=SourceProgram.PROVINCIAL_KEY))) == {"sweet_potato", "peanut_oil"}
    assert set(keys(catalogue, find("", national_key=True))) == {"chengkou_pork", "honey"}
    assert keys(catalogue, find("土豆", price_min_fen=4_000, price_max_fen=5_000)) == ["wuxi_potato"]


def _database_counts(where=()) -> dict[str, Counter]:
    rows = db.session.execute(
        select(
            Category.slug,
            Product.origin_province_code,
            Product.origin_county_code,
            Product.program,
            Product.storage,
            Product.price_fen,
        )
        .join(Category, Category.id == Product.category_id)
        .where(Product.status == ProductStatus.APPROVED, *where)
    ).all()
    counts = {name: Counter() for name in search.FACET_NAMES}
    for slug, province, county, program, storage, price in rows:
        counts["category"][slug] += 1
        counts["province"][province] += 1
        counts["county"][county] += 1
        counts["program"][program.value] += 1
        counts["storage"][storage.value] += 1
        counts["price_band"][search.price_band_of(price)] += 1
    return counts


def _facet_counts(result) -> dict[str, Counter]:
    return {name: Counter({f.value: f.count for f in values}) for name, values in result.facets.items()}


def test_facet_counts_equal_database_counts_for_all_products(catalogue):
    result = find("")
    assert _facet_counts(result) == _database_counts()
    assert sum(f.count for f in result.facets["category"]) == result.total == len(CATALOGUE)


def test_facet_counts_equal_database_counts_for_a_query(catalogue):
    result = find("粉条")
    like = or_(Product.title.like("%粉条%"), Product.description.like("%粉条%"))
    assert result.total == db.session.scalar(
        select(func.count(Product.id)).where(Product.status == ProductStatus.APPROVED, like)
    )
    assert _facet_counts(result) == _database_counts([like])


def test_each_facet_counts_under_the_other_filters_but_not_its_own(catalogue):
    # given a category chosen
    dried = db.session.scalar(select(Category.id).where(Category.slug == "dried"))
    result = find("", category="dried", province="500000")
    counts = _facet_counts(result)
    # then the category facet still offers the other categories (within the province)…
    assert counts["category"] == _database_counts([Product.origin_province_code == "500000"])["category"]
    # …and every other facet counts only the chosen category and province
    both = [Product.category_id == dried, Product.origin_province_code == "500000"]
    assert counts["county"] == _database_counts(both)["county"]
    assert counts["province"] == _database_counts([Product.category_id == dried])["province"]
    assert result.total == sum(_database_counts(both)["category"].values())


def test_facets_carry_chinese_labels(catalogue):
    facets = find("").facets
    assert {f.value: f.label for f in facets["category"]}["dried"] == "干货"
    assert {f.value: f.label for f in facets["province"]}["500000"] == "重庆市"
    assert {f.value: f.label for f in facets["program"]}["provincial_key"] == "省重点帮扶县"
    assert {f.value: f.label for f in facets["price_band"]}["50000-"] == "¥500以上"
    assert [f.value for f in facets["price_band"]] == sorted(
        (f.value for f in facets["price_band"]), key=lambda v: int(v.split("-")[0])
    )


def test_price_bands_split_at_whole_yuan():
    assert search.price_band_of(1_999) == "0-2000"
    assert search.price_band_of(2_000) == "2000-5000"
    assert search.price_band_of(500_000) == "50000-"
    assert search.price_band_range("2000-5000") == (2_000, 4_999)
    assert search.price_band_label("2000-5000") == "¥20–¥50"


# ---- sorting and pages ---------------------------------------------------------------------------


def test_sorting_and_pages(catalogue):
    by_price = keys(catalogue, find("薯", sort=SortKey.PRICE_ASC))
    prices = [catalogue[k].price_fen for k in by_price]
    assert prices == sorted(prices) and len(by_price) == 3  # 马铃薯, 红薯, 红薯粉条
    first = find("", per_page=5, page=1)
    second = find("", per_page=5, page=2)
    assert len(first.hits) == 5 and first.total == len(CATALOGUE)
    assert not set(ids(first)) & set(ids(second))
    assert keys(catalogue, find("", sort=SortKey.SALES))[:2] == ["longxi_pork", "potato_fresh"]


@pytest.mark.parametrize("sort", list(SortKey))
def test_large_result_sets_rank_as_small_ones_do(catalogue, monkeypatch, sort):
    # Past STATIC_ORDER_FROM results, ranking reads positions from a sort of the whole index.
    queries = ["", "土豆", "腊肉", "定西", "薯"]
    small = [ids(find(q, sort=sort)) for q in queries]
    monkeypatch.setattr(ranking, "STATIC_ORDER_FROM", 0)
    assert [ids(find(q, sort=sort)) for q in queries] == small


# ---- highlights and suggestions ------------------------------------------------------------------


def test_highlights_mark_words_synonyms_and_pinyin(catalogue):
    def title_html(q: str, key: str) -> str:
        return next(h.title_html for h in find(q).hits if h.product_id == catalogue[key].id)

    assert "<mark>腊肉</mark>" in title_html("腊肉", "longxi_pork")
    assert "<mark>马铃薯</mark>" in title_html("土豆", "potato_fresh")  # found through the synonym
    assert "<mark>和田大枣</mark>" in title_html("htdz", "jujube")
    assert "<mark>和田大枣</mark>" in title_html("hetiandazao", "jujube")
    # spaced syllables that spell one name mark the name, not every 大 or 枣 elsewhere
    assert title_html("he tian da zao", "jujube") == "<mark>和田大枣</mark> 一级 1kg/袋"


def test_snippets_show_the_description_around_the_match(catalogue):
    hit = find("黑猪").hits[0]
    assert "<mark>黑猪</mark>" in hit.snippet_html


def test_titles_are_escaped(catalogue):
    make_product(supplier=catalogue["potato_fresh"].supplier, title="<b>土豆</b> 礼盒")
    db.session.commit()
    search.rebuild_index(db.session)
    html = next(h.title_html for h in find("土豆").hits if "礼盒" in h.title_html)
    assert html.startswith("&lt;b&gt;<mark>土豆</mark>&lt;/b&gt;")


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [("马玲薯", "马铃薯"), ("hetiandazhao", "和田大枣"), ("malinshu", "马铃薯")],
)
def test_zero_results_come_with_a_suggestion(catalogue, q, suggestion):
    result = find(q)
    assert result.total == 0
    assert result.suggestion == suggestion
    assert find(suggestion).total > 0


def test_no_suggestion_when_nothing_is_close(catalogue):
    result = find("钢琴")
    assert result.total == 0 and result.suggestion is None


def test_words_that_never_meet_fall_back_to_any_word(catalogue):
    result = find("腊肉 花生油")
    assert result.partial
    assert set(keys(catalogue, result)) == {"chengkou_pork", "longxi_pork", "peanut_oil"}


# ---- the index follows the database ------------------------------------------------------------


@pytest.fixture
def shop(catalogue):
    supplier = catalogue["potato_fresh"].supplier
    shop = {"owner": make_supplier_user(supplier), "operator": make_user(Role.PLATFORM_OPERATOR)}
    db.session.commit()
    return shop


def _submit(shop, title: str):
    return listings.create_listing(
        db.session,
        actor=shop["owner"],
        supplier_id=None,
        data=ListingInput(
            sku="NEW-1",
            title=title,
            category_slug="dried",
            spec="1kg/袋",
            sale_unit="袋",
            price_fen=3_000,
            stock_qty=10,
            origin_county_code="621102",
            program=SourceProgram.COUNTERPART,
        ),
        evidence_urls=["https://www.fupin832.com/goods/2"],
    )


def test_an_approved_listing_is_searchable_once_the_outbox_is_applied_and_gone_when_delisted(shop):
    # given a new listing waiting for review
    product = _submit(shop, "定西黄芪片 特级")
    search.apply_outbox(db.session)
    assert find("黄芪").total == 0
    # when the operator approves it
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert find("黄芪").total == 0  # the index learns of it from the outbox, not from the request
    assert search.apply_outbox(db.session) == 1
    # then it is found, by words and by pinyin
    assert ids(find("黄芪")) == [product.id]
    assert ids(find("huangqi")) == [product.id]
    assert search.pending_count(db.session) == 0
    # when it is delisted, it is gone
    listings.delist(db.session, actor=shop["owner"], product_id=product.id)
    search.apply_outbox(db.session)
    assert find("黄芪").total == 0


def test_changes_to_a_product_reach_the_index(catalogue):
    product = catalogue["tea"]
    product.title, product.price_fen = "通渭荞麦茶 礼盒", 9_900
    search.reindex_supplier(db.session, product.supplier_id)
    db.session.commit()
    search.apply_outbox(db.session)
    assert find("苦荞").total == 0
    assert ids(find("荞麦茶", price_min_fen=9_900)) == [product.id]


def test_only_one_writer_at_a_time(catalogue):
    engine = search.get_engine()
    with engine.writer_lock(), pytest.raises(WriterBusyError):
        search.apply_outbox(db.session, wait=0.1)
    assert search.apply_outbox(db.session) == 0  # free again


def test_a_rebuild_swaps_in_a_new_index_while_searches_go_on(app, catalogue):
    # given searches running in other threads
    engine = search.get_engine()
    errors, answers, stop = [], [], threading.Event()

    def searching():
        with app.app_context():
            while not stop.is_set():
                try:
                    answers.append(ids(find("腊肉")))
                except Exception as err:  # any failure is the test's finding
                    errors.append(repr(err))

    threads = [threading.Thread(target=searching) for _ in range(3)]
    for t in threads:
        t.start()
    # when the index is rebuilt three times
    generations = {engine.current_generation()}
    for _ in range(3):
        search.rebuild_index(db.session)
        generations.add(engine.current_generation())
    stop.set()
    for t in threads:
        t.join()
    # then every search answered in full and old indexes were cleared away
    assert errors == []
    assert answers and all(a == [catalogue["chengkou_pork"].id, catalogue["longxi_pork"].id] for a in answers)
    assert len(generations) == 4
    assert len(list(engine.directory.glob("gen-*"))) == 2  # the live one and the one before


def test_a_large_rebuild_writes_two_segments_in_two_processes_and_answers_the_same(catalogue, monkeypatch):
    # given the answers of an index built in one process
    queries = ["土豆", "腊肉", "htdz", "定西", "", "红枣"]
    before = [keys(catalogue, find(q)) for q in queries]
    # when the catalogue counts as large
    monkeypatch.setattr(whoosh, "PARALLEL_BUILD_FROM", 1)
    monkeypatch.setattr(whoosh, "PARALLEL_BATCH", 3)
    search.rebuild_index(db.session)
    # then the index has a segment per process, and nothing else changed
    engine = search.get_engine()
    assert len(engine._state().leaves) == 2
    assert [keys(catalogue, find(q)) for q in queries] == before
    assert _facet_counts(find("")) == _database_counts()


def test_without_an_index_search_answers_from_the_database(app):
    make_product(title="城口老腊肉")
    db.session.commit()
    result = find("腊肉")
    assert result.engine == "database" and result.total == 1


def test_the_worker_builds_a_missing_index(app):
    make_product(title="城口老腊肉")
    db.session.commit()
    engine = search.get_engine()
    assert not engine.exists()
    rounds = []
    search.run_worker(db.session, engine, interval=0, should_stop=lambda: bool(rounds), on_round=rounds.append)
    assert engine.exists() and find("腊肉").engine == "whoosh" and find("腊肉").total == 1


def test_an_index_of_another_schema_is_not_read_until_rebuilt(app, catalogue):
    engine = search.get_engine()
    (engine.directory / engine.current_generation() / VERSION_FILE).write_text(f"schema={SCHEMA_VERSION + 1}\n")
    app.extensions["search"] = type(engine)(engine.directory)  # a fresh process
    assert engine.needs_rebuild()
    assert find("腊肉").engine == "database"
    result = app.test_cli_runner().invoke(args=["search", "rebuild", "--if-needed"])
    assert "rebuilt" in result.output
    assert find("腊肉").engine == "whoosh"


def test_cli_rebuilds_applies_and_reports(app, catalogue):
    runner = app.test_cli_runner()
    assert "up to date" in runner.invoke(args=["search", "rebuild", "--if-needed"]).output
    catalogue["honey"].title = "城口土蜂蜜"
    search.reindex_supplier(db.session, catalogue["honey"].supplier_id)
    db.session.commit()
    assert "pending outbox rows: 2" in runner.invoke(args=["search", "status"]).output  # 城口: pork and honey
    assert "applied: 2 products" in runner.invoke(args=["search", "apply"]).output
    assert runner.invoke(args=["search", "worker", "--rounds", "1", "--interval", "0"]).exit_code == 0
    assert "products: 13" in runner.invoke(args=["search", "status"]).output


# ---- the page and the API ------------------------------------------------------------------------


def test_results_page_shows_highlights_facets_and_counts(client, catalogue):
    html = client.get("/search?q=土豆").get_data(as_text=True)
    assert "“土豆”的搜索结果" in html and "共 3 件" in html
    assert "<mark>土豆</mark>" in html and "<mark>马铃薯</mark>" in html
    assert "商品类别" in html and "果蔬 <small>2</small>" in html
    assert "相关度" in html


def test_results_page_filters_by_facet_links(client, catalogue):
    html = client.get("/search?q=腊肉&province=500000").get_data(as_text=True)
    assert "城口老腊肉" in html and "陇西腊肉" not in html
    html = client.get("/search?q=&price_min=20&price_max=49.99").get_data(as_text=True)
    assert "定西马铃薯" not in html and "巫溪洋芋" in html


def test_results_page_shows_the_suggestions_results_when_nothing_matches(client, catalogue):
    html = client.get("/search?q=马玲薯").get_data(as_text=True)
    assert "没有找到“马玲薯”的商品，已为您显示“<strong>马铃薯</strong>”的结果" in html
    assert "定西马铃薯" in html


def test_results_page_with_nothing_found_offers_tips(client, catalogue):
    html = client.get("/search?q=钢琴").get_data(as_text=True)
    assert "没有找到“钢琴”相关的商品" in html
    assert "提交商品上架需求" in html


def test_results_page_refuses_bad_filters_without_failing(client, catalogue):
    response = client.get("/search?q=土豆&price_min=abc")
    assert response.status_code == 400
    assert "最低价格格式不正确" in response.get_data(as_text=True)


def test_api_search_shape(client, catalogue):
    body = client.get("/api/v1/search?q=腊肉&per_page=1").get_json()
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 1
    item = body["items"][0]
    assert {"id", "title", "price_fen", "county", "province", "highlight"} <= item.keys()
    assert item["id"] == catalogue["chengkou_pork"].id
    assert item["county"] == "城口县" and item["province"] == "重庆市"
    assert item["highlight"] == "城口老<mark>腊肉</mark> 柴火熏制 500g/袋"
    assert set(body["facets"]) == {"category", "province", "county", "program", "price_band", "storage"}
    assert {"value": "meat-egg", "count": 2, "label": "肉禽蛋"} in body["facets"]["category"]


def test_api_search_filters_in_fen_and_suggests(client, catalogue):
    body = client.get("/api/v1/search?q=&price_min_fen=4000&price_max_fen=5000&category=fruit-veg").get_json()
    assert [i["id"] for i in body["items"]] == [catalogue["wuxi_potato"].id]
    body = client.get("/api/v1/search?q=马玲薯").get_json()
    assert body["items"] == [] and body["total"] == 0 and body["suggestion"] == "马铃薯"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("q=土豆&price_min_fen=abc", 400, "invalid_filter"),
        ("q=土豆&price_min_fen=500&price_max_fen=100", 400, "invalid_filter"),
        ("q=土豆&page=0", 400, "invalid_filter"),
        ("q=土豆&per_page=1000", 400, "invalid_filter"),
        ("q=土豆&program=cheap", 400, "invalid_filter"),
        ("q=土豆&province=12", 400, "invalid_filter"),
        ("q=土豆&sort=random", 400, "invalid_filter"),
        ("q=" + "土" * 61, 400, "invalid_filter"),
        ("q=土豆&category=no-such-thing", 404, "not_found"),
    ],
)
def test_api_search_refuses_bad_parameters(client, catalogue, query, status, code):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
