"""Catalog rules, pure (no Flask, SQLAlchemy or Stripe): states, list filters, listing checks,
review and duplicate detection, supplier onboarding and spreadsheet rows. Import from here."""

from catalog.domain.errors import *  # noqa: F403
from catalog.domain.filters import *  # noqa: F403
from catalog.domain.imports import *  # noqa: F403
from catalog.domain.listings import *  # noqa: F403
from catalog.domain.onboarding import *  # noqa: F403
from catalog.domain.review import *  # noqa: F403
from catalog.domain.states import *  # noqa: F403
