"""The IDOR sweep's fixtures: CSRF on (as in production), the two worlds, the caller."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.idor.caller import Caller
from tests.idor.world import World, build_world


@pytest.fixture
def app_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def world(app: Flask, stripe_store) -> World:
    return build_world()


@pytest.fixture
def caller(app: Flask, client, world: World) -> Caller:
    return Caller(app, client, world)
