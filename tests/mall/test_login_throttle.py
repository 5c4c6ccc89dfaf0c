"""Login throttling: a pair (username, address) locks after a few failures, an address after more,
a username only after many from many addresses; behind a trusted proxy the client's address counts."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from mall.accounts import services
from mall.accounts.domain import RecentFailures, Role, ThrottlePolicy, throttled_by
from mall.accounts.models import LoginFailure
from mall.errors import AuthenticationError, LoginThrottledError
from mall.extensions import db
from tests.factories import PASSWORD, make_user

POLICY = ThrottlePolicy(window=timedelta(minutes=15), per_pair=5, per_address=30, per_username=50)


@pytest.mark.parametrize(
    ("pair", "address", "username", "limit"),
    [
        (4, 4, 4, None),
        (5, 5, 5, "pair"),
        (0, 29, 49, None),
        (0, 30, 0, "address"),
        (0, 0, 50, "username"),
        (5, 30, 50, "pair"),
    ],
)
def test_the_first_limit_reached_is_named(pair, address, username, limit):
    assert throttled_by(RecentFailures(pair=pair, address=address, username=username), POLICY) == limit


@given(pair=st.integers(0, 4), address=st.integers(0, 29), username=st.integers(0, 49))
def test_below_every_limit_nothing_is_throttled(pair, address, username):
    assert throttled_by(RecentFailures(pair, address, username), POLICY) is None


@given(recent=st.builds(RecentFailures, st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)))
def test_more_failures_never_lift_a_lock(recent):
    locked = throttled_by(recent, POLICY) is not None
    more = RecentFailures(recent.pair + 1, recent.address + 1, recent.username + 1)
    assert throttled_by(more, POLICY) is not None or not locked


@pytest.fixture
def app_overrides():
    # Smaller limits than production's (30 per address, 50 per username): each failure costs a
    # password hash, on purpose slow. The numbers themselves are the domain tests' business.
    return {"LOGIN_MAX_FAILURES_PER_ADDRESS": 8, "LOGIN_MAX_FAILURES_PER_USERNAME": 12}


def fail(username: str, addr: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError):
            services.authenticate(db.session, username=username, password="wrong-pass-1", remote_addr=addr)


def test_one_address_trying_many_accounts_is_locked_out_of_all(app):
    # given one address that failed on 8 different usernames (its limit)
    user = make_user(Role.BUYER)
    db.session.commit()
    for n in range(8):
        fail(f"guess{n}", "10.9.9.9")
    # then it may not try another account, while the same account from elsewhere still logs in
    with pytest.raises(LoginThrottledError):
        services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.9.9.9")
    assert services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.0.0.8") == user


def test_one_account_attacked_from_many_addresses_is_locked_after_the_loose_limit(app):
    # given 12 failures for one username (its limit) from three addresses, none at its own limit
    user = make_user(Role.BUYER)
    db.session.commit()
    for n in range(3):
        fail(user.username, f"10.1.0.{n}", times=4)
    # then the account is locked for now, even for its owner at a new address
    with pytest.raises(LoginThrottledError):
        services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.0.0.8")


def test_the_owners_success_forgives_only_their_own_failures(app):
    # given the owner mistyped twice, and someone else failed four times from another address
    user = make_user(Role.BUYER)
    db.session.commit()
    fail(user.username, "10.0.0.8", times=2)
    fail(user.username, "10.6.6.6", times=4)
    # when the owner logs in
    services.authenticate(db.session, username=user.username, password=PASSWORD, remote_addr="10.0.0.8")
    # then their failures are forgotten, and the other address's still count
    rows = db.session.scalars(select(LoginFailure.remote_addr).where(LoginFailure.username == user.username)).all()
    assert rows == ["10.6.6.6"] * 4


def post_login(client, forwarded: str):
    return client.post(
        "/login",
        data={"username": "nobody-here", "password": "wrong-pass-1"},
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )


def failed_from() -> list[str]:
    return list(db.session.scalars(select(LoginFailure.remote_addr).order_by(LoginFailure.id)))


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(app, client):
    post_login(client, "203.0.113.7")
    assert failed_from() == ["10.0.0.1"]


@pytest.mark.parametrize("app_overrides", [{"MALL_TRUSTED_PROXIES": 1}])
def test_behind_one_trusted_proxy_the_clients_address_counts_and_cannot_be_forged(app, client):
    # the proxy appends the address it saw; what the client wrote before it is not believed
    post_login(client, "203.0.113.7")
    post_login(client, "198.51.100.1, 203.0.113.8")
    assert failed_from() == ["203.0.113.7", "203.0.113.8"]
