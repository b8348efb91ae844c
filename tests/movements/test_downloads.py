"""Every Excel file the movement's dashboard offers downloads and opens with its units."""

import pytest
from django.urls import reverse

from tests.downloads import download_links, read_download

pytestmark = pytest.mark.django_db


def test_the_dashboard_export_opens_with_the_units(client, movement, tree, admin_user):
    client.force_login(admin_user)
    period = movement.periods.first()
    page = reverse("movements:dashboard", args=[movement.pk]) + f"?period={period.pk}"
    links = download_links(client.get(page).content.decode(), page)
    assert [link.split("?")[0] for link in links] == [
        reverse("movements:dashboard_export", args=[movement.pk])
    ]
    text = read_download(client.get(links[0]))
    assert movement.title in text and "Phường Bồ Đề" in text
