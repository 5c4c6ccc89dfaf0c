"""What orders adds to other packages' pages: the "加入本单位购物车" form on the product page
(slot product:actions), dashboard panels for buyers, employees, the unit admin, suppliers and
finance officers, the navigation links, and the jobs that release expired stock holds and retry
refunds."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from mall.accounts.domain import Role
from mall.extensions import db
from mall.forms import as_choices
from mall.jobs import register_job
from mall.templating import Block, register_block, register_nav
from orders import domain, queries, services
from orders.domain import PURPOSE_LABELS, CartKind, OrderFilters, OrderStatus, Purpose
from orders.forms import CartAddForm
from orders.models import owner_key
from orders.queries import approvals as approval_queries

UNIT_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE)


def _product_actions(user, product=None, **_: object) -> dict | None:
    if product is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return {"anonymous": True}
    purposes = domain.allowed_purposes(user.roles) if user.unit_id else []
    if not purposes:
        return None
    form = CartAddForm(formdata=None, product_id=product.id, quantity=product.min_order_qty)
    form.purpose.choices = as_choices((p.value, PURPOSE_LABELS[p]) for p in purposes)
    personal_only = purposes == [Purpose.PERSONAL]
    return {
        "form": form,
        "product": product,
        "button": "加入个人购物车" if personal_only else "加入本单位购物车",
        "pack_size": product.pack_size,
    }


def _cart_and_orders(user, **_: object) -> dict | None:
    kind = queries.default_cart_kind(user)
    if kind is None:
        return None
    cart = queries.cart_summary(db.session, user, kind)
    stmt = queries.buyer_orders_select(user, OrderFilters())
    return {
        "cart": cart,
        "kind": kind,
        "counts": queries.status_counts(db.session, stmt),
        "recent": db.session.scalars(stmt.limit(5)).all(),
        "status_labels": domain.ORDER_STATUS_LABELS,
    }


def _approvals(user, **_: object) -> dict | None:
    if user.unit_id is None:
        return None
    settings = queries.purchase_settings(db.session, user.unit_id)
    return {
        "pending": [item for item in approval_queries.approval_queue(db.session, user) if not item.own],
        "threshold_fen": settings.approval_threshold_fen if settings else None,
        "card": queries.payment_card(db.session, owner_key(CartKind.UNIT, unit_id=user.unit_id, user_id=None)),
    }


def _supplier_orders(user, **_: object) -> dict | None:
    supplier = queries.supplier_of(db.session, user)
    if supplier is None:
        return None
    stmt = queries.supplier_orders_select(supplier.id, OrderFilters(status=OrderStatus.PLACED))
    return {
        "to_ship": db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0,
        "recent": db.session.scalars(stmt.limit(5)).all(),
    }


def _transfers(user, **_: object) -> dict | None:
    if not user.region_code:
        return None
    sub = queries.transfers_select(user.region_code).order_by(None).subquery()
    count, total = db.session.execute(select(func.count(), func.coalesce(func.sum(sub.c.total_fen), 0))).one()
    return {"count": count, "total_fen": total}


def init_app(app: Flask) -> None:
    _register_blocks(app)
    register_nav(app, "购物车", "orders.cart_show", *UNIT_ROLES, order=30)
    register_nav(app, "订单", "orders.order_list", *UNIT_ROLES, order=31)
    register_nav(app, "订单审批", "orders_manage.approval_list", Role.UNIT_ADMIN, order=32)
    register_nav(app, "供应商订单", "orders_manage.supplier_order_list", Role.SUPPLIER, order=33)
    register_nav(app, "对公转账", "orders_manage.transfer_list", Role.FINANCE_OFFICER, order=34)
    register_job(app, "orders.release_expired_holds", services.release_expired_holds)
    register_job(app, "orders.retry_pending_refunds", services.retry_pending_refunds)


def _register_blocks(app: Flask) -> None:
    register_block(app, Block("product:actions", "加入购物车", "orders/blocks/product_actions.html", _product_actions))
    for role in (Role.BUYER, Role.UNION_OFFICER, Role.EMPLOYEE):
        register_block(
            app,
            Block(
                f"dashboard:{role}", "购物车与订单", "orders/blocks/cart_and_orders.html", _cart_and_orders, order=20
            ),
        )
    register_block(
        app,
        Block(f"dashboard:{Role.UNIT_ADMIN}", "订单审批与公务卡", "orders/blocks/approvals.html", _approvals, order=15),
    )
    register_block(
        app, Block(f"dashboard:{Role.SUPPLIER}", "待发货订单", "orders/blocks/supplier_orders.html", _supplier_orders)
    )
    register_block(
        app, Block(f"dashboard:{Role.FINANCE_OFFICER}", "待确认的对公转账", "orders/blocks/transfers.html", _transfers)
    )
