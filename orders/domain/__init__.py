"""Rules of unit carts, checkout and payment (DOMAIN.md, "Who uses it" and "After the order").

Pure: plain values in, decisions out; no Flask, SQLAlchemy or Stripe. `states` (purposes, payment
modes, the states with their transition tables), `errors` (stable codes), `rules` (cart lines,
who may act on which purpose, the split per supplier, totals, approval, holds, refunds),
`approvals` (who decides a purchase above the threshold; purchases split to stay under it),
`inputs` (what people type). Import from here: `from orders import domain`. Money is integer
fen; splits go through mall.money.
"""

from orders.domain.approvals import *  # noqa: F403 - one namespace for callers
from orders.domain.errors import *  # noqa: F403
from orders.domain.inputs import *  # noqa: F403
from orders.domain.rules import *  # noqa: F403
from orders.domain.states import *  # noqa: F403
