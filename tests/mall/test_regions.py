"""The regions page: every province with its count of eligible counties (on both databases)."""

import re

from mall.extensions import db
from tests.factories import make_eligible_county, make_region


def test_the_regions_page_counts_each_provinces_eligible_counties(client):
    make_eligible_county("621102")
    make_eligible_county("621121")
    make_region("371321", is_provincial_key=True)
    make_region("370102")
    db.session.commit()
    page = client.get("/regions").get_data(as_text=True)
    counts = dict(re.findall(r"<td>(\d{6})</td>.*?<td class=\"num\">(\d+)</td>", page, re.S))
    assert counts == {"370000": "1", "620000": "2"}
