"""Fulfillment actions: one module per flow, one public function per user action or job, one
transaction each (the module docstrings say which rows each guards)."""
