"""Accounts, roles and their scopes; login with throttling; API tokens."""
