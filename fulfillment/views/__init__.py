"""Fulfillment's pages, one module per flow (`shipping`, …): thin — read the form, call one service,
flash in Chinese, redirect; page blocks on the orders' pages come from `fulfillment.blocks`."""
