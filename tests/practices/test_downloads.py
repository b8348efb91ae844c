"""Every Excel file the practices pages offer downloads and opens with the practice in it."""

import pytest
from django.urls import reverse

from tests.downloads import download_links, read_download

pytestmark = pytest.mark.django_db


def test_every_download_of_the_practices_pages_opens(client, practice, tree, admin_user):
    client.force_login(admin_user)
    pages = [
        reverse("practices:list"),
        reverse("practices:coverage") + f"?unit={tree['long_bien'].pk}&kind=ward",
    ]
    opened = []
    for page in pages:
        links = download_links(client.get(page).content.decode(), page)
        assert links, page
        for link in links:
            text = read_download(client.get(link))
            assert "Phường Phúc Lợi" in text or "Ngõ xanh" in text, link
            opened.append(link)
    assert len(opened) == 2
