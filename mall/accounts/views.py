"""Login, logout, password change, and account management for the operator and unit admins."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from mall.accounts import queries, services, tokens
from mall.accounts.domain import ROLE_LABELS, UNIT_ADMIN_GRANTABLE, Role, parse_session_id
from mall.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    UserCreateForm,
    UserRolesForm,
    role_choices,
)
from mall.accounts.models import User
from mall.errors import DomainError, NotFoundError
from mall.extensions import db, login_manager
from mall.forms import as_choices
from mall.pagination import paginate
from mall.redirects import redirect_back, redirect_to_referrer
from mall.regions.queries import scope_choices
from mall.units.queries import unit_choices

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "warning"

DEMO_ACCOUNTS = [
    ("demo-buyer", "采购人"),
    ("demo-buyer2", "采购人（同单位）"),
    ("demo-buyer-other", "采购人（其他单位）"),
    ("demo-unitadmin", "单位管理员"),
    ("demo-union", "工会经办人"),
    ("demo-employee", "职工"),
    ("demo-supplier", "供应商"),
    ("demo-coop", "供销社运营"),
    ("demo-operator", "采购中心运营"),
    ("demo-finance", "财政部门（省级）"),
    ("demo-agri", "农业农村局"),
    ("demo-sasac", "国资委"),
]


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """The cookie's user, while the cookie's session version is the account's (domain.session_id)."""
    parsed = parse_session_id(cookie_id)
    if parsed is None:
        return None
    user = db.session.get(User, parsed[0])
    return user if user is not None and user.session_version == parsed[1] else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session,
                username=form.username.data,
                password=form.password.data,
                remote_addr=request.remote_addr or "",
            )
        except DomainError as err:
            db.session.rollback()
            form.password.errors.append(err.message)
        else:
            login_user(user)
            flash(f"欢迎，{user.display_name}", "success")
            return redirect_back(url_for("mall.dashboard"))
    demo = DEMO_ACCOUNTS if current_app.config["MALL_ENV"] != "production" else []
    return render_template("accounts/login.html", form=form, demo_accounts=demo, page_title="登录")


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.log_out(db.session, user_id=current_user.id)
    logout_user()
    flash("已退出登录", "info")
    return redirect(url_for("mall.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password_change():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(db.session, user=user, current=form.current.data, new=form.new.data)
        except DomainError as err:
            db.session.rollback()
            form.new.errors.append(err.message)
        else:
            login_user(user)  # this browser stays logged in, under the new session version
            flash("密码已修改；其他设备已退出登录，API 令牌已全部吊销", "success")
            return redirect(url_for("mall.dashboard"))
    return render_template("accounts/password.html", form=form, page_title="修改密码")


@bp.post("/account/sessions/end")
@login_required
def sessions_end():
    user = current_user._get_current_object()
    revoked = services.end_other_sessions(db.session, user=user)
    login_user(user)
    flash(f"其他设备已全部退出登录，已吊销 {revoked} 个 API 令牌", "success")
    return redirect(url_for("accounts.password_change"))


def _manager_scope() -> int | None:
    """None for the platform operator (every account); the unit id for a unit admin."""
    if current_user.has_role(Role.PLATFORM_OPERATOR):
        return None
    if current_user.has_role(Role.UNIT_ADMIN) and current_user.unit_id:
        return current_user.unit_id
    abort(403)


@bp.get("/manage/users")
@login_required
def manage_users():
    unit_scope = _manager_scope()
    role = request.args.get("role") or None
    if role is not None and role not in set(Role):
        role = None
    stmt = queries.users_select(q=request.args.get("q", ""), role=Role(role) if role else None, unit_id=unit_scope)
    page = paginate(stmt, per_page=30)
    return render_template(
        "accounts/manage/user_list.html",
        page=page,
        token_counts=queries.live_token_counts(db.session, [u.id for u in page.items]),
        role_choices=[(r.value, ROLE_LABELS[r]) for r in Role],
        unit_scope=unit_scope,
        page_title="账号管理",
    )


def _fill_scope_choices(form) -> None:
    form.unit_id.choices = as_choices([(0, "（无）"), *unit_choices(db.session)])
    form.region_code.choices = as_choices(
        [("", "（无）"), *scope_choices(db.session, current_app.config["MALL_PROVINCE_CODE"])]
    )


@bp.route("/manage/users/new", methods=["GET", "POST"])
@login_required
def manage_user_create():
    unit_scope = _manager_scope()
    form = UserCreateForm()
    if unit_scope is not None:
        form.roles.choices = role_choices(sorted(UNIT_ADMIN_GRANTABLE))
    else:
        _fill_scope_choices(form)
    if form.validate_on_submit():
        try:
            roles = {Role(r) for r in form.roles.data}
            if unit_scope is None:
                user = services.create_user(
                    db.session,
                    actor=current_user,
                    username=form.username.data,
                    password=form.password.data,
                    display_name=form.display_name.data,
                    roles=roles,
                    unit_id=form.unit_id.data or None,
                    region_code=form.region_code.data or None,
                    phone=form.phone.data or "",
                )
            else:
                user = services.create_unit_member(
                    db.session,
                    actor=current_user,
                    username=form.username.data,
                    password=form.password.data,
                    display_name=form.display_name.data,
                    roles=roles,
                    phone=form.phone.data or "",
                )
        except DomainError as err:
            db.session.rollback()
            form.username.errors.append(err.message)
        else:
            flash(f"已创建账号 {user.username}", "success")
            return redirect(url_for("accounts.manage_users"))
    return render_template("accounts/manage/user_form.html", form=form, unit_scope=unit_scope, page_title="新建账号")


@bp.route("/manage/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def manage_user_edit(user_id: int):
    unit_scope = _manager_scope()
    user = queries.get_user(db.session, user_id)
    if unit_scope is not None and user.unit_id != unit_scope:
        raise NotFoundError()
    form = UserRolesForm(obj=None)
    if unit_scope is None:
        _fill_scope_choices(form)
        if request.method == "GET":
            form.roles.data = sorted(user.roles)
            form.unit_id.data = user.unit_id or 0
            form.region_code.data = user.region_code or ""
        if form.validate_on_submit():
            try:
                services.set_roles(
                    db.session,
                    actor=current_user,
                    user_id=user.id,
                    roles={Role(r) for r in form.roles.data},
                    unit_id=form.unit_id.data or None,
                    region_code=form.region_code.data or None,
                )
            except DomainError as err:
                db.session.rollback()
                form.roles.errors.append(err.message)
            else:
                flash("角色已更新", "success")
                return redirect(url_for("accounts.manage_user_edit", user_id=user.id))
    return render_template(
        "accounts/manage/user_edit.html",
        user=user,
        form=form,
        unit_scope=unit_scope,
        role_labels=ROLE_LABELS,
        page_title=f"账号 {user.username}",
    )


@bp.post("/manage/users/<int:user_id>/active")
@login_required
def manage_user_active(user_id: int):
    _manager_scope()
    active = request.form.get("active") == "1"
    user = services.set_active(db.session, actor=current_user, user_id=user_id, active=active)
    flash(f"账号 {user.username} 已{'启用' if active else '停用'}", "success")
    return redirect(url_for("accounts.manage_user_edit", user_id=user_id))


@bp.post("/manage/users/<int:user_id>/tokens/revoke")
@login_required
def manage_user_tokens_revoke(user_id: int):
    _manager_scope()
    revoked = tokens.revoke_user_tokens(db.session, actor=current_user, user_id=user_id)
    flash(f"已吊销 {revoked} 个 API 令牌", "success")
    return redirect_to_referrer(url_for("accounts.manage_users"))
