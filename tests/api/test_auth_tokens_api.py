"""API tokens end: the holder revokes one, they expire, a password change, "log out everywhere" or
disabling revokes them, a unit admin revokes a member's; each answer says why (401 with its code)."""

import re
from datetime import datetime, timedelta

import pytest
from flask import g
from sqlalchemy import func, select

from mall import clock, jobs
from mall.accounts import services, tokens
from mall.accounts.domain import Role
from mall.accounts.models import ApiToken
from mall.extensions import db
from tests.factories import PASSWORD, login, make_user


def issue(client, user) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    return response.get_json()


def me(client, token: str):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def refused_with(client, token: str) -> str:
    response = me(client, token)
    assert response.status_code == 401
    return response.get_json()["error"]["code"]


def test_a_token_is_answered_with_its_expiry(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    before = clock.now()
    body = issue(client, user)
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=30) <= expires_at - before < timedelta(days=30, minutes=1)
    assert body["user"]["username"] == user.username and me(client, body["token"]).status_code == 200


@pytest.mark.parametrize("app_overrides", [{"API_TOKEN_DAYS": 7}])
def test_the_token_lifetime_is_a_setting(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    before = clock.now()
    expires_at = datetime.fromisoformat(issue(client, user)["expires_at"])
    assert timedelta(days=7) <= expires_at - before < timedelta(days=7, minutes=1)


def test_the_holder_revokes_its_token_which_then_says_so(app, client):
    # given two tokens of one user
    user = make_user(Role.BUYER)
    db.session.commit()
    first, second = issue(client, user)["token"], issue(client, user)["token"]
    # when the first is revoked by its holder
    response = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {first}"})
    # then it answers 401 token_revoked from now on, and the other token still works
    assert response.status_code == 200 and response.get_json() == {"revoked": True}
    assert refused_with(client, first) == "token_revoked"
    assert client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert me(client, second).status_code == 200


def test_an_expired_token_says_so_and_an_unknown_one_needs_authentication(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    token = issue(client, user)["token"]
    clock.advance(db.session, days=30, minutes=1)
    db.session.commit()
    assert refused_with(client, token) == "token_expired"
    assert refused_with(client, "never-issued") == "authentication_required"
    assert client.get("/api/v1/me").get_json()["error"]["code"] == "authentication_required"
    assert client.delete("/api/v1/auth/token").status_code == 401


def test_revoked_and_expired_tokens_are_kept_a_while_then_purged_by_the_job(app, client):
    # given a revoked token and an expired one
    user = make_user(Role.BUYER)
    db.session.commit()
    revoked, expired = issue(client, user)["token"], issue(client, user)["token"]
    client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {revoked}"})
    clock.advance(db.session, days=31)
    db.session.commit()
    # when the job runs soon after they expired, they still answer with their reasons
    jobs.run_due_jobs(db.session)
    assert (refused_with(client, revoked), refused_with(client, expired)) == ("token_revoked", "token_expired")
    # and once API_TOKEN_KEEP_DAYS have passed, the job drops their rows
    clock.advance(db.session, days=app.config["API_TOKEN_KEEP_DAYS"])
    db.session.commit()
    jobs.run_due_jobs(db.session)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0
    assert refused_with(client, revoked) == "authentication_required"


def test_a_password_change_revokes_the_users_tokens(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    token = issue(client, user)["token"]
    services.change_password(db.session, user=user, current=PASSWORD, new="new-pass-2027")
    assert refused_with(client, token) == "token_revoked"


def test_logging_out_everywhere_revokes_the_users_tokens_but_a_plain_logout_does_not(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    token = issue(client, user)["token"]
    services.log_out(db.session, user_id=user.id)
    assert me(client, token).status_code == 200
    services.end_other_sessions(db.session, user=user)
    assert refused_with(client, token) == "token_revoked"


def test_disabling_an_account_revokes_its_tokens(app, client):
    operator = make_user(Role.PLATFORM_OPERATOR)
    user = make_user(Role.BUYER)
    db.session.commit()
    token = issue(client, user)["token"]
    services.set_active(db.session, actor=operator, user_id=user.id, active=False)
    services.set_active(db.session, actor=operator, user_id=user.id, active=True)
    assert refused_with(client, token) == "token_revoked"


@pytest.fixture
def unit(app):
    admin = make_user(Role.UNIT_ADMIN)
    member = make_user(Role.BUYER, unit=admin.unit)
    stranger = make_user(Role.BUYER)  # another unit
    db.session.commit()
    return {"admin": admin, "member": member, "stranger": stranger}


def test_a_unit_admin_revokes_a_members_tokens_from_the_user_list(app, client, unit):
    # given a member with a token, and their unit admin on the account list
    token = issue(client, unit["member"])["token"]
    login(client, unit["admin"])
    page = client.get("/manage/users").get_data(as_text=True)
    action = f"/manage/users/{unit['member'].id}/tokens/revoke"
    assert action in page
    # when the admin presses 吊销
    g.pop("_login_user", None)
    response = client.post(action, headers={"Referer": "http://localhost/manage/users?page=1"})
    # then the member's token is revoked and the admin is back on the list
    assert response.status_code == 302 and response.headers["Location"] == "/manage/users?page=1"
    assert refused_with(client, token) == "token_revoked"


def test_a_unit_admin_cannot_revoke_another_units_tokens(app, client, unit):
    token = issue(client, unit["stranger"])["token"]
    login(client, unit["admin"])
    assert client.post(f"/manage/users/{unit['stranger'].id}/tokens/revoke").status_code == 404
    assert me(client, token).status_code == 200


def test_a_unit_admin_cannot_revoke_the_tokens_of_another_admin_of_its_unit(app, client, unit):
    # given another admin of the same unit with a token (an admin manages buyers, not its peers)
    colleague = make_user(Role.UNIT_ADMIN, unit=unit["admin"].unit)
    db.session.commit()
    token = issue(client, colleague)["token"]
    login(client, unit["admin"])
    # when the first admin posts the revoke form for the colleague's account
    response = client.post(f"/manage/users/{colleague.id}/tokens/revoke")
    # then it is refused, as disabling the colleague is, and the colleague's token still works
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert ("error", "单位管理员只能管理本单位的采购人和工会经办人") in session["_flashes"]
    assert me(client, token).status_code == 200


def test_a_buyer_cannot_revoke_tokens_and_the_operator_can_revoke_anyones(app, client, unit):
    token = issue(client, unit["stranger"])["token"]
    login(client, unit["member"])
    assert client.post(f"/manage/users/{unit['stranger'].id}/tokens/revoke").status_code == 403
    assert me(client, token).status_code == 200
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    assert tokens.revoke_user_tokens(db.session, actor=operator, user_id=unit["stranger"].id) == 1
    assert refused_with(client, token) == "token_revoked"


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_revoking_a_members_tokens_needs_the_forms_token(app, client, unit):
    token = issue(client, unit["member"])["token"]
    login(client, unit["admin"])
    action = f"/manage/users/{unit['member'].id}/tokens/revoke"
    assert client.post(action).status_code == 400
    assert me(client, token).status_code == 200
    page = client.get("/manage/users").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert client.post(action, data={"csrf_token": csrf}).status_code == 302
    assert refused_with(client, token) == "token_revoked"
