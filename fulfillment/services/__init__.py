"""Fulfillment actions: one module per flow, one public function per user action or job, one
transaction each. Callers import the module: `from fulfillment.services import acceptance`."""
