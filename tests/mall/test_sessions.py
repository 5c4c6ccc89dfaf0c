"""Sessions end: logout, password change, "log out everywhere" and disabling end every earlier
session cookie; the browser that changed its password stays logged in."""

import re

import pytest
from flask import g

from mall.accounts import services
from mall.accounts.domain import Role, parse_session_id, session_id
from mall.extensions import db
from tests.factories import PASSWORD, login, make_user


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}  # as in production: every form below carries its token


def forget_request_state() -> None:
    # The test holds the app context open, so every request shares its `g`, where Flask-Login keeps
    # the user it loaded and Flask-WTF the CSRF token: forget both, or one browser would see another's.
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def get(client, path: str):
    forget_request_state()
    return client.get(path)


def post(client, path: str, **kwargs):
    forget_request_state()
    return client.post(path, **kwargs)


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', get(client, path).get_data(as_text=True))[
        1
    ]


def form_login(client, user) -> str:
    """Log in with the form; returns the session cookie the browser now holds."""
    token = csrf(client, "/login")
    response = post(client, "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client.get_cookie("session").value


def logged_in(client) -> bool:
    return get(client, "/account/password").status_code == 200


def test_a_cookie_saved_before_logout_no_longer_logs_in(app):
    # given a user logged in, whose cookie someone saved
    user = make_user(Role.BUYER)
    db.session.commit()
    browser = app.test_client()
    saved = form_login(browser, user)
    # when they log out
    post(browser, "/logout", data={"csrf_token": csrf(browser, "/account/password")})
    assert not logged_in(browser)
    # then the saved cookie, replayed, logs nobody in
    thief = app.test_client()
    thief.set_cookie("session", saved)
    assert not logged_in(thief)
    # and the user logs in again as usual
    form_login(browser, user)
    assert logged_in(browser)


def test_a_password_change_ends_other_browsers_and_keeps_this_one(app):
    # given the same user in two browsers
    user = make_user(Role.BUYER)
    db.session.commit()
    office, home = app.test_client(), app.test_client()
    form_login(office, user)
    form_login(home, user)
    # when they change their password at the office
    response = post(
        office,
        "/account/password",
        data={"current": PASSWORD, "new": "new-pass-2027", "csrf_token": csrf(office, "/account/password")},
    )
    assert response.status_code == 302
    # then the office browser is still logged in, and the home one is not
    assert logged_in(office)
    assert not logged_in(home)


def test_logging_out_everywhere_ends_other_browsers_and_keeps_this_one(app):
    user = make_user(Role.BUYER)
    db.session.commit()
    office, home = app.test_client(), app.test_client()
    form_login(office, user)
    form_login(home, user)
    response = post(office, "/account/sessions/end", data={"csrf_token": csrf(office, "/account/password")})
    assert response.status_code == 302
    assert logged_in(office)
    assert not logged_in(home)


def test_logging_out_everywhere_needs_the_forms_token(app):
    user = make_user(Role.BUYER)
    db.session.commit()
    office, home = app.test_client(), app.test_client()
    form_login(office, user)
    form_login(home, user)
    assert post(office, "/account/sessions/end").status_code == 400
    assert logged_in(home)


def test_disabling_an_account_ends_its_sessions_for_good(app):
    # given a buyer logged in, and their unit admin
    admin = make_user(Role.UNIT_ADMIN)
    buyer = make_user(Role.BUYER, unit=admin.unit)
    db.session.commit()
    browser = app.test_client()
    form_login(browser, buyer)
    # when the admin disables the account, then enables it again
    services.set_active(db.session, actor=admin, user_id=buyer.id, active=False)
    assert not logged_in(browser)
    services.set_active(db.session, actor=admin, user_id=buyer.id, active=True)
    # then the old cookie stays dead: the account must log in again
    assert not logged_in(browser)


def test_a_session_injected_for_tests_follows_the_same_rule(app, client):
    user = make_user(Role.BUYER)
    db.session.commit()
    login(client, user)
    assert logged_in(client)
    services.log_out(db.session, user_id=user.id)
    assert not logged_in(client)


def test_the_session_id_carries_the_version_and_refuses_anything_else():
    assert parse_session_id(session_id(42, 3)) == (42, 3)
    for bad in ["42", "42:", ":3", "42:0", "42:-1", "x:1", "42:3:1", "99999999999:1", "42:²", ""]:
        assert parse_session_id(bad) is None, bad
