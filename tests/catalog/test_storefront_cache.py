"""Storefront pages keep rendered cards per process: what changed shows on the next request, in
this app and in another app on the same database (another gunicorn worker)."""

from dataclasses import replace

import pytest
from sqlalchemy import update

from catalog import generation
from catalog.domain import ProductStatus, SourceProgram
from catalog.models import Product
from catalog.services import listing_input_of, listings
from mall.extensions import db
from mall.fragments import fragment_cache
from mall.regions.models import Region
from tests.conftest import make_test_app
from tests.factories import make_category, make_product, make_supplier, make_supplier_user


@pytest.fixture
def shared_url(db_kind, database_url, tmp_path, app):
    """A database two apps can open: a file for SQLite (the `app` fixture's is in memory)."""
    if db_kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        with make_test_app(url, str(tmp_path)).app_context():
            db.create_all()
        return url
    return database_url


@pytest.fixture
def two_workers(shared_url, tmp_path):
    """Two apps (two workers' caches) on one database, with a supplier's product on sale."""
    worker_a, worker_b = make_test_app(shared_url, str(tmp_path)), make_test_app(shared_url, str(tmp_path))
    with worker_b.app_context():
        supplier = make_supplier()
        user = make_supplier_user(supplier)
        product = make_product(supplier=supplier, category=make_category(), title="定西土豆宽粉条", price_fen=5_200)
        db.session.commit()
        ids = {"user": user.id, "product": product.id}
    yield worker_a, worker_b, ids
    for worker in (worker_a, worker_b):
        with worker.app_context():
            db.engine.dispose()


def _page(app, path: str) -> str:
    response = app.test_client().get(path)
    return response.get_data(as_text=True) if response.status_code == 200 else str(response.status_code)


def _as_supplier(app, ids: dict, action) -> None:
    from mall.accounts.models import User

    with app.app_context():
        action(db.session.get(User, ids["user"]), ids["product"])


def _cut_price(actor, product_id: int) -> None:
    product = db.session.get(Product, product_id)
    data = replace(listing_input_of(product), price_fen=4_800)
    _, sent_to_review = listings.edit_listing(db.session, actor=actor, product_id=product_id, data=data)
    assert not sent_to_review  # a price cut applies at once


def _delist(actor, product_id: int) -> None:
    listings.delist(db.session, actor=actor, product_id=product_id)


@pytest.mark.parametrize("path", ["/products", "/categories/dried", "/counties/621102"])
def test_a_price_cut_in_another_worker_shows_on_the_next_list_page(two_workers, path):
    worker_a, worker_b, ids = two_workers
    assert "¥52.00" in _page(worker_a, path)
    with worker_a.app_context():
        assert len(fragment_cache("product_cards")) == 1  # the card is kept
    _as_supplier(worker_b, ids, _cut_price)
    html = _page(worker_a, path)
    assert "¥48.00" in html and "¥52.00" not in html


def test_a_delisting_in_another_worker_shows_on_the_next_request(two_workers):
    worker_a, worker_b, ids = two_workers
    assert "定西土豆宽粉条" in _page(worker_a, "/products")
    assert "定西土豆宽粉条" in _page(worker_a, f"/products/{ids['product']}")
    _as_supplier(worker_b, ids, _delist)
    assert "定西土豆宽粉条" not in _page(worker_a, "/products")
    assert _page(worker_a, f"/products/{ids['product']}") == "404"


def test_a_price_cut_shows_on_the_product_page_and_on_similar_cards(two_workers):
    worker_a, worker_b, ids = two_workers
    with worker_b.app_context():
        neighbour = make_product(supplier=db.session.get(Product, ids["product"]).supplier, title="定西马铃薯精淀粉")
        db.session.commit()
        neighbour_id = neighbour.id
    assert "¥52.00" in _page(worker_a, f"/products/{ids['product']}")
    assert "¥52.00" in _page(worker_a, f"/products/{neighbour_id}")  # among the county's other products
    _as_supplier(worker_b, ids, _cut_price)
    assert "¥48.00" in _page(worker_a, f"/products/{ids['product']}")
    neighbour_page = _page(worker_a, f"/products/{neighbour_id}")
    assert "¥48.00" in neighbour_page and "¥52.00" not in neighbour_page


def _dried_count(html: str) -> str:
    return html.split('href="/products?category=dried"', 1)[1].split("<small>", 1)[1].split("</small>", 1)[0]


def test_a_delisting_in_another_worker_shows_in_the_sidebar_counts_on_the_next_request(two_workers):
    worker_a, worker_b, ids = two_workers
    assert _dried_count(_page(worker_a, "/products")) == "1"
    _as_supplier(worker_b, ids, _delist)
    assert _dried_count(_page(worker_a, "/products")) == "0"


def test_the_generation_moves_with_what_the_counts_show_and_not_with_sales(app):
    product = make_product()
    db.session.commit()
    before = generation.current(db.session)
    db.session.execute(update(Product).where(Product.id == product.id).values(stock_qty=3, sales_qty=97))
    db.session.commit()
    assert generation.current(db.session) == before
    for values in ({"status": ProductStatus.DELISTED}, {"program": SourceProgram.NATIONAL_POVERTY}):
        db.session.execute(update(Product).where(Product.id == product.id).values(**values))
        db.session.commit()
        assert generation.current(db.session) > before
        before = generation.current(db.session)
    db.session.execute(update(Region).where(Region.code == product.origin_county_code).values(is_national_key=True))
    db.session.commit()
    assert generation.current(db.session) > before


def test_a_change_rolled_back_leaves_the_generation(app):
    product = make_product()
    db.session.commit()
    before = generation.current(db.session)
    db.session.execute(update(Product).where(Product.id == product.id).values(status=ProductStatus.DELISTED))
    db.session.rollback()
    assert generation.current(db.session) == before


def test_the_product_page_shows_changes_to_its_supplier_stock_and_photos_from_another_worker(two_workers):
    from catalog.models import ProductPhoto, Supplier
    from mall import clock

    worker_a, worker_b, ids = two_workers
    path = f"/products/{ids['product']}"
    before = _page(worker_a, path)
    assert "库存 100" in before and "/media/photos/" not in before
    with worker_b.app_context():
        product = db.session.get(Product, ids["product"])
        db.session.execute(update(Supplier).where(Supplier.id == product.supplier_id).values(name="安定区薯源合作社"))
        db.session.execute(update(Product).where(Product.id == product.id).values(stock_qty=7))
        db.session.add(
            ProductPhoto(product_id=product.id, path="p/1.jpg", content_type="image/jpeg", created_at=clock.now())
        )
        db.session.commit()
    html = _page(worker_a, path)
    assert "安定区薯源合作社" in html and "库存 7" in html and "/media/photos/" in html
