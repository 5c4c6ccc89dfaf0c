"""The baseline for bench/catalog.py: a bare Flask + SQLAlchemy app rendering the same product
rows with a minimal template (no layout, no filters, no eager loads beyond what it shows).

    DATABASE_URL=sqlite:////tmp/x/mall.db gunicorn -w 2 bench.bare_app:app
"""

from __future__ import annotations

import os

from flask import Flask, abort, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import BigInteger, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Product(db.Model):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(60))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock_qty: Mapped[int]
    sales_qty: Mapped[int]
    status: Mapped[str] = mapped_column(String(24))
    origin_county_code: Mapped[str] = mapped_column(String(6))


LIST = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商品</title></head><body>
<h1>全部商品</h1><p>共 {{ total }} 条</p><ul>
{% for p in rows %}<li><a href="/products/{{ p.id }}">{{ p.title }}</a> {{ p.spec }} ¥{{ "%.2f"|format(p.price_fen / 100) }}</li>{% endfor %}
</ul></body></html>"""

SHOW = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ p.title }}</title></head><body>
<h1>{{ p.title }}</h1><p>{{ p.spec }} ¥{{ "%.2f"|format(p.price_fen / 100) }} 库存 {{ p.stock_qty }} 产地 {{ p.origin_county_code }}</p>
</body></html>"""

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db.init_app(app)


@app.get("/products")
def product_list():
    page = int(request.args.get("page", 1))
    stmt = select(Product).where(Product.status == "approved")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Product.sales_qty.desc(), Product.id.desc()).limit(20).offset((page - 1) * 20)
    ).all()
    return render_template_string(LIST, rows=rows, total=total)


@app.get("/products/<int:product_id>")
def product_show(product_id: int):
    p = db.session.get(Product, product_id)
    if p is None:
        abort(404)
    return render_template_string(SHOW, p=p)
