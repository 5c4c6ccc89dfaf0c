"""Rules after payment (DOMAIN.md, "After the order").

Pure: plain values in, decisions out; no Flask, SQLAlchemy or Stripe. `states` (parcels and carrier
events, after-sales cases and their refunds, payables, supplier standing: states with transition
tables and labels), `errors` (stable codes), `carriers` (the carrier list, tracking numbers, the
webhook's signature and payload), `simulation` (the simulated carrier's plan), `rules` (shipment
quantities, acceptance money, deadlines, late interest), `scorecard` (a supplier's score and band).
Import from here: `from fulfillment import domain`. Every number or date comes from the policy year
(`mall.policy.domain.PolicyTerms`), passed in by the caller; money is integer fen.
"""

from fulfillment.domain.carriers import *  # noqa: F403 - one namespace for callers
from fulfillment.domain.errors import *  # noqa: F403
from fulfillment.domain.rules import *  # noqa: F403
from fulfillment.domain.scorecard import *  # noqa: F403
from fulfillment.domain.simulation import *  # noqa: F403
from fulfillment.domain.states import *  # noqa: F403
