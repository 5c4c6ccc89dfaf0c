import pytest
from sqlalchemy import select

from mall.accounts import services
from mall.accounts.domain import MissingScopeError, Role, WeakPasswordError
from mall.accounts.models import User
from mall.errors import AuthenticationError, LoginThrottledError, NotFoundError
from mall.extensions import db
from tests.factories import PASSWORD, login, make_unit, make_user


def test_login_form_logs_in_and_lands_on_the_dashboard(client):
    user = make_user(Role.BUYER)
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD}, follow_redirects=True)
    assert response.status_code == 200
    assert "工作台" in response.get_data(as_text=True)
    assert user.display_name in response.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_chinese_message(client):
    user = make_user(Role.BUYER)
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "wrong-pass-1"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_five_failures_lock_the_guessing_address_but_not_the_real_user_elsewhere(app):
    # given five wrong passwords for an account from one address
    user = make_user(Role.BUYER)
    db.session.commit()
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            services.authenticate(db.session, username=user.username, password="nope-nope-1", remote_addr="10.0.0.1")
    # then that address is locked out of the account, even with the right password
    with pytest.raises(LoginThrottledError):
        services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.0.0.1")
    # and the owner at their own desk logs in
    assert services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.0.0.2") == user


def test_login_open_redirect_is_refused(client):
    user = make_user(Role.BUYER)
    db.session.commit()
    response = client.post("/login?next=https://evil.example/", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_passwords_are_stored_hashed(app):
    operator = make_user(Role.PLATFORM_OPERATOR)
    unit = make_unit()
    user = services.create_user(
        db.session,
        actor=operator,
        username="wang.buyer",
        password="secret-pass-9",
        display_name="王采购",
        roles={Role.BUYER},
        unit_id=unit.id,
    )
    assert "secret-pass-9" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_weak_password_is_refused(app):
    operator = make_user(Role.PLATFORM_OPERATOR)
    unit = make_unit()
    with pytest.raises(WeakPasswordError):
        services.create_user(
            db.session,
            actor=operator,
            username="weak.one",
            password="short",
            display_name="弱",
            roles={Role.BUYER},
            unit_id=unit.id,
        )


def test_unit_admin_adds_a_buyer_to_its_own_unit_only(client):
    # given
    admin = make_user(Role.UNIT_ADMIN)
    db.session.commit()
    login(client, admin)
    # when
    response = client.post(
        "/manage/users/new",
        data={"username": "new.buyer", "display_name": "新采购人", "password": "buyer-pass-2026", "roles": ["buyer"]},
    )
    # then
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.username == "new.buyer"))
    assert created.unit_id == admin.unit_id and created.roles == {Role.BUYER}


def test_unit_admin_cannot_grant_operator_role(client):
    admin = make_user(Role.UNIT_ADMIN)
    db.session.commit()
    login(client, admin)
    response = client.post(
        "/manage/users/new",
        data={
            "username": "sneaky",
            "display_name": "越权",
            "password": "buyer-pass-2026",
            "roles": ["platform_operator"],
        },
    )
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.username == "sneaky")) is None


def test_unit_admin_sees_another_units_account_as_not_found(client):
    admin = make_user(Role.UNIT_ADMIN)
    stranger = make_user(Role.BUYER)  # in another unit
    db.session.commit()
    login(client, admin)
    assert client.get(f"/manage/users/{stranger.id}").status_code == 404
    assert client.post(f"/manage/users/{stranger.id}/active", data={"active": "0"}).status_code == 404
    db.session.refresh(stranger)
    assert stranger.is_active_account


def test_unit_admin_disables_its_buyer_who_then_cannot_log_in(client, app):
    admin = make_user(Role.UNIT_ADMIN)
    buyer = make_user(Role.BUYER, unit=admin.unit)
    db.session.commit()
    services.set_active(db.session, actor=admin, user_id=buyer.id, active=False)
    with pytest.raises(AuthenticationError):
        services.authenticate(db.session, username=buyer.username, password=PASSWORD, remote_addr="10.0.0.3")


def test_buyer_cannot_open_account_management(client):
    buyer = make_user(Role.BUYER)
    db.session.commit()
    login(client, buyer)
    assert client.get("/manage/users").status_code == 403


def test_operator_creates_a_finance_officer_who_needs_a_region(app):
    operator = make_user(Role.PLATFORM_OPERATOR)
    with pytest.raises(MissingScopeError) as err:
        services.create_user(
            db.session,
            actor=operator,
            username="fin.one",
            password="finance-pass-1",
            display_name="财政",
            roles={Role.FINANCE_OFFICER},
        )
    assert err.value.code == "role_scope_missing"


def test_dashboard_requires_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_set_active_on_unknown_user_is_not_found(app):
    operator = make_user(Role.PLATFORM_OPERATOR)
    with pytest.raises(NotFoundError):
        services.set_active(db.session, actor=operator, user_id=99999, active=False)


def test_saving_an_accounts_roles_unchanged_keeps_them(client):
    operator = make_user(Role.PLATFORM_OPERATOR)
    buyer = make_user(Role.BUYER, Role.UNION_OFFICER)
    db.session.commit()
    login(client, operator)
    form = {"roles": ["buyer", "union_officer"], "unit_id": str(buyer.unit_id), "region_code": ""}
    assert client.post(f"/manage/users/{buyer.id}", data=form).status_code == 302
    assert client.post(f"/manage/users/{buyer.id}", data=form | {"roles": ["buyer"]}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, buyer.id).roles == {Role.BUYER}


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ({"unit_id": "2147483647"}, "所属单位不存在"),
        ({"unit_id": "99999999999999999999"}, "选择"),  # no choice at all: the form refuses it
        ({"region_code": "999999"}, "管辖地区不存在"),
        ({"region_code": "字" * 5000}, "管辖地区不存在"),
    ],
)
def test_a_unit_or_region_that_does_not_exist_is_refused_with_a_message(client, scope, message):
    operator = make_user(Role.PLATFORM_OPERATOR)
    buyer = make_user(Role.BUYER)
    db.session.commit()
    login(client, operator)
    form = {"roles": ["buyer", "finance_officer"], "unit_id": str(buyer.unit_id), "region_code": "370000"} | scope
    response = client.post(f"/manage/users/{buyer.id}", data=form)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, buyer.id).roles == {Role.BUYER}
