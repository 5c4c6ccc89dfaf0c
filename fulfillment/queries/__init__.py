"""Reads after payment, with getters that check the scope: another unit's or another supplier's
object is `NotFoundError` (404), never its data. One module per flow: `aftersales`, `payables`."""
