"""Catalog actions, one public function per user action, one transaction each (like
`orders.services`): `suppliers` (registered directly, their accounts), `onboarding` (applications,
the county's recommendation, the platform's review), `listings` (create, edit, review, delist,
recommend) with `listing_changes` (edits of a listing on sale, reviewed before they apply),
`requests` (units ask for products the mall lacks), `imports` (spreadsheets), and `catalogue`
(categories and the listing checks they all share).
"""

from catalog.services.catalogue import (
    ListingContext,
    UnknownCategoryError,
    UnknownCountyError,
    create_category,
    create_listings,
    listing_columns,
    listing_input_of,
)
from catalog.services.suppliers import SupplierCodeTakenError, add_supplier_member, register_supplier

__all__ = [
    "ListingContext",
    "SupplierCodeTakenError",
    "UnknownCategoryError",
    "UnknownCountyError",
    "add_supplier_member",
    "create_category",
    "create_listings",
    "listing_columns",
    "listing_input_of",
    "register_supplier",
]
