# ruff: noqa: F811  (the fixtures imported from tests.cultural_titles.conftest are parameters)
"""The assessment grid by keyboard only: the committee fills every household with "All eligible",
moves with the arrow keys to the one exception, answers it with N and K, types the reason and
saves with Enter; on a phone the same grid shows as a list of households."""

import pytest
from playwright.sync_api import expect

from tests.cultural_titles.conftest import (  # noqa: F401 (fixtures)
    area_a,
    chairman,
    committee,
    households,
    round_,
    ward,
)
from tests.e2e.test_cultural_titles_journey import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_committee_assesses_the_area_by_keyboard_alone(page, committee, area_a):
    login(page, "to1-truongban")
    page.goto(f"/cultural/areas/{area_a.pk}/grid/")
    criteria = len(area_a.round.criteria.mandatory)
    # "All eligible" by keyboard: focus it with Tab and press Enter
    page.get_by_test_id("grid-all").focus()
    page.keyboard.press("Enter")
    # the first cell has the focus; go down to the fifth household, answer its first criterion no
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("n")  # first criterion: no (the focus moves right)
    for _ in range(criteria - 1):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("k")  # result: not eligible (the focus moves to the reason)
    page.keyboard.type("Chưa chấp hành quy định về vệ sinh")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã bình xét 5 hộ.")).to_be_visible()
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (5, 4)
    refused = area_a.households.get(eligible=False)
    assert refused.code == "HA005" and refused.reason == "Chưa chấp hành quy định về vệ sinh"
    first = area_a.round.criteria.mandatory[0]["code"]
    assert refused.answers[first] is False


def test_on_a_phone_the_grid_is_a_list(page, committee, area_a):
    login(page, "to1-truongban")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/cultural/areas/{area_a.pk}/grid/")
    rows = page.locator("[data-grid-row]")
    expect(rows).to_have_count(5)
    assert rows.first.evaluate("e => getComputedStyle(e).display") == "block"
    # nothing wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
