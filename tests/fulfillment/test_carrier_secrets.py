"""Carrier webhook secrets: generated once per instance and shared by its processes, the
environment wins, production never generates."""

from __future__ import annotations

import pytest

from fulfillment.carrier_secrets import CONFIG_KEY, FILE_NAME, fill_carrier_secrets
from fulfillment.domain import all_carriers

CODES = {c.code for c in all_carriers()}


def test_secrets_are_generated_once_and_read_back_by_another_process(tmp_path):
    first = fill_carrier_secrets({}, tmp_path, environ={})
    second = fill_carrier_secrets({}, tmp_path, environ={})
    assert set(first) == CODES and first == second
    assert len(set(first.values())) == len(CODES)
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o077 == 0


def test_the_environment_and_the_config_win(tmp_path):
    config = {CONFIG_KEY: {"jd": "j" * 20}}
    secrets = fill_carrier_secrets(config, tmp_path, environ={"CARRIER_SECRET_ZTO_COLD": "z" * 20})
    assert (secrets["jd"], secrets["zto_cold"]) == ("j" * 20, "z" * 20)
    assert config[CONFIG_KEY] == secrets


def test_production_never_generates_and_refuses_a_short_secret(tmp_path):
    config = {"MALL_ENV": "production"}
    secrets = fill_carrier_secrets(config, tmp_path, environ={"CARRIER_SECRET_SF": "s" * 32})
    assert secrets == {"sf": "s" * 32}
    assert not (tmp_path / FILE_NAME).exists()
    with pytest.raises(RuntimeError, match="sf"):
        fill_carrier_secrets({"MALL_ENV": "production"}, tmp_path, environ={"CARRIER_SECRET_SF": "short"})
