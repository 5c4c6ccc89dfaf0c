"""Configuration from environment variables, with safe local defaults.

`create_app` applies `Config`, then `instance/config.py` if present, then the caller's overrides.
Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    MALL_ENV = os.environ.get("MALL_ENV", "development")
    # Empty: generated into instance/secrets.toml on the first start (mall/instance_secrets.py).
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    INSTANCE_PATH = os.environ.get("MALL_INSTANCE_PATH", str(ROOT / "instance"))
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")  # empty: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # The packages that plug into the platform, lowest first (see DESIGN.md, "Layers"). The factory
    # imports them by name, so `mall` never imports a higher package in its code.
    MALL_PACKAGES = ("catalog", "orders", "fulfillment", "seed_data")
    # In simulation mode the clock offset lives in the database and can be moved (DESIGN.md).
    CLOCK_SIMULATION = _flag("MALL_SIMULATION", "1")
    # The province this hall serves (Shandong in the demo): its units, finance offices and key counties.
    MALL_PROVINCE_CODE = os.environ.get("MALL_PROVINCE_CODE", "370000")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Login throttling (mall/accounts/domain.py, ThrottlePolicy): failures within the window for one
    # username from one address, from one address, and for one username lock further attempts of
    # that kind until the window has passed.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_MAX_FAILURES_PER_USERNAME = 50
    LOGIN_WINDOW_SECONDS = 15 * 60
    # How many reverse proxies in front of the mall append to X-Forwarded-For (werkzeug's ProxyFix).
    # 0: the header is ignored, so a client cannot choose the address its failed logins count on.
    MALL_TRUSTED_PROXIES = int(os.environ.get("MALL_TRUSTED_PROXIES", "0"))
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
    # A revoked or expired token's row is kept this long after it expired, so a client is told
    # "revoked" or "expired" (401 token_revoked / token_expired) instead of "unknown".
    API_TOKEN_KEEP_DAYS = 30
    # The public supplier application form: attempts per address within the window (each one
    # may carry up to MAX_CONTENT_LENGTH of licences).
    SUPPLIER_APPLY_MAX_PER_ADDRESS = int(os.environ.get("SUPPLIER_APPLY_MAX_PER_ADDRESS", "5"))
    SUPPLIER_APPLY_WINDOW_SECONDS = 3600
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:8420")
    STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY", "sk_test_local_mall")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")  # empty: as SECRET_KEY
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", "")  # empty: instance/search
    JOBS_INTERVAL_SECONDS = int(os.environ.get("JOBS_INTERVAL_SECONDS", "5"))
