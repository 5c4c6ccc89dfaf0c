"""The storefront home and the role-aware dashboard. Both are assembled from blocks that the
packages register from their blocks.py (mall.templating.register_block)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from mall.accounts.domain import ROLE_LABELS, Role
from mall.templating import render_blocks

bp = Blueprint("mall", __name__)


@bp.get("/")
def home():
    return render_template("mall/home.html", blocks=render_blocks("home", current_user), page_title="首页")


@bp.get("/dashboard")
@login_required
def dashboard():
    sections = [
        (role, ROLE_LABELS[role], render_blocks(f"dashboard:{role}", current_user))
        for role in Role
        if role in current_user.roles
    ]
    top = render_blocks("dashboard", current_user)
    return render_template("mall/dashboard.html", top=top, sections=sections, page_title="工作台")
