"""One way for a package to plug in: its blocks.py adds navigation links, page blocks and jobs to
the app it is given, and each app keeps its own."""

import pytest

from mall import create_app, jobs
from mall.accounts.domain import Role
from mall.extensions import db
from mall.templating import Block, nav_links, register_block, register_nav, render_blocks


@pytest.fixture
def other_app(tmp_path, database_url):
    return create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})


class Anonymous:
    is_authenticated = False


def test_every_job_is_named_after_the_package_that_registers_it(app):
    names = jobs.registered_jobs(app)
    packages = {"mall", *app.config["MALL_PACKAGES"]}
    assert {name.split(".")[0] for name in names} <= packages
    assert {
        "mall.purge_expired_credentials",
        "mall.purge_rate_limit_hits",
        "catalog.run_queued_imports",
        "orders.release_expired_holds",
        "orders.retry_pending_refunds",
    } <= set(names)


def test_a_job_without_its_package_prefix_or_registered_twice_is_refused(other_app):
    with pytest.raises(ValueError, match="prefixed"):
        jobs.register_job(other_app, "release_expired_holds", lambda session: 0)
    with pytest.raises(ValueError, match="twice"):
        jobs.register_job(other_app, "orders.release_expired_holds", lambda session: 0)


def test_what_one_app_registers_the_other_does_not_see(app, other_app):
    # given a second app with a block, a link and a job of its own
    register_block(other_app, Block("home", "只在另一个应用", "mall/blocks/notifications.html", lambda user: {}))
    register_nav(other_app, "另一个应用", "mall.home", order=99)
    ran = []
    jobs.register_job(other_app, "mall.probe", lambda session: ran.append(session) or 1)
    # then the first app shows none of them and runs only its own jobs
    with app.test_request_context("/"):
        titles = [block.title for block, _ in render_blocks("home", Anonymous())]
    assert "只在另一个应用" not in titles and "商品类别" in titles
    assert "另一个应用" not in [link.label for link in nav_links(Anonymous())]
    results = jobs.run_due_jobs(db.session)
    assert "mall.probe" not in results and ran == []
    # while the second app has them beside the packages' own
    assert "另一个应用" in [link.label for link in nav_links(Anonymous(), other_app)]
    assert "mall.probe" in jobs.registered_jobs(other_app)
    assert set(jobs.registered_jobs(other_app)) - {"mall.probe"} == set(jobs.registered_jobs(app))


def test_a_block_or_link_registered_twice_is_refused(other_app):
    block = Block("home", "商品类别", "catalog/blocks/categories.html", lambda user: {})
    with pytest.raises(ValueError, match="twice"):
        register_block(other_app, block)
    with pytest.raises(ValueError, match="twice"):
        register_nav(other_app, "首页", "mall.home", order=0)


def test_links_follow_the_roles_of_the_user(app):
    class Buyer:
        is_authenticated = True
        roles = frozenset({Role.BUYER})

    anonymous = {link.endpoint for link in nav_links(Anonymous())}
    buyer = {link.endpoint for link in nav_links(Buyer())}
    assert "mall.home" in anonymous and "mall.dashboard" not in anonymous
    assert {"mall.dashboard", "orders.cart_show", "catalog_requests.request_index"} <= buyer
    assert "orders_manage.transfer_list" not in buyer
