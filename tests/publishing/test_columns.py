"""Columns per unit, managed by the unit's editors: create, rename, reorder, retire and bring
back; through the services, audited; refused to others on the page and the API alike."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.publishing.conftest import write
from thidua.core.models import AuditEvent
from thidua.publishing import selectors, services
from thidua.publishing.models import Column

pytestmark = pytest.mark.django_db


def names(unit):
    return list(Column.objects.filter(unit=unit).order_by("order").values_list("name", flat=True))


def test_a_ward_editor_manages_the_wards_columns_on_the_page(client, tree, ward_editor):
    client.force_login(ward_editor)
    url = reverse("publishing:column_list")
    page = client.get(url)
    assert page.status_code == 200
    assert tree["bo_de"].display_name in page.content.decode()
    for name in ("Tin phường", "Gương sáng khu phố"):
        answer = client.post(f"{url}?unit={tree['bo_de'].pk}", {"name": name})
        assert answer.status_code == 302
    assert names(tree["bo_de"]) == ["Tin phường", "Gương sáng khu phố"]
    retire = client.get(f"{url}?unit={tree['bo_de'].pk}").content.decode()
    assert 'data-testid="retire-column" data-confirm=' in retire
    second = Column.objects.get(unit=tree["bo_de"], name="Gương sáng khu phố")
    client.post(reverse("publishing:column_action", args=[second.pk, "up"]))
    assert names(tree["bo_de"]) == ["Gương sáng khu phố", "Tin phường"]
    client.post(
        reverse("publishing:column_edit", args=[second.pk]),
        {"name": "Người tốt quanh ta", "name_en": "Good neighbours"},
    )
    second.refresh_from_db()
    assert (second.name, second.name_en, second.slug) == (
        "Người tốt quanh ta",
        "Good neighbours",
        "guong-sang-khu-pho",  # the address is kept
    )
    client.post(reverse("publishing:column_action", args=[second.pk, "retire"]))
    second.refresh_from_db()
    assert not second.is_active
    listed = client.get(f"{url}?unit={tree['bo_de'].pk}").content.decode()
    assert "Người tốt quanh ta" in listed
    verbs = set(
        AuditEvent.objects.filter(verb__startswith="publishing.column_").values_list(
            "verb", flat=True
        )
    )
    assert verbs == {
        "publishing.column_create",
        "publishing.column_move",
        "publishing.column_rename",
        "publishing.column_retire",
    }


def test_a_retired_column_takes_no_new_story_but_keeps_its_stories(
    client, tree, columns, contributor, ward_editor, city_editor
):
    column = columns["vi-nguoi-ngheo"]
    story = write(contributor, tree["group"], column)
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    services.approve_story(ward_editor, story=story)
    services.publish_story(ward_editor, story=story)
    before = selectors.latest_by_column(per_column=3)  # now in the versioned cache
    assert column.pk in {section["column"].pk for section in before}
    services.retire_column(city_editor, column=column)  # moves the newsroom's version on
    with pytest.raises(ValidationError):
        write(contributor, tree["group"], column, title="Bài mới")
    # its published story and its page stay; it leaves the front pages and the writers' list
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(column.get_absolute_url()).status_code == 200
    sections = selectors.latest_by_column(per_column=3)
    assert column.pk not in {section["column"].pk for section in sections}
    assert column.pk not in {c["id"] for c in client.get("/api/v1/publishing/columns").json()}
    # an edit of the story keeps it in its column
    services.edit_story(contributor, story=story, title="Sửa", lead="Sửa lại.", body="<p>x</p>")
    services.retire_column(city_editor, column=column, retire=False)
    assert Column.objects.get(pk=column.pk).is_active


def test_names_are_required_and_unique_within_a_unit(tree, ward_editor):
    services.create_column(ward_editor, unit=tree["bo_de"], name="Tin phường")
    with pytest.raises(ValidationError):
        services.create_column(ward_editor, unit=tree["bo_de"], name="tin phường")
    with pytest.raises(ValidationError):
        services.create_column(ward_editor, unit=tree["bo_de"], name="   ")


def test_contributors_and_sibling_editors_are_refused_on_the_page_and_the_api(
    client, tree, columns, contributor, sibling_editor, ward_editor
):
    ward_column = services.create_column(ward_editor, unit=tree["bo_de"], name="Tin phường")
    city_column = columns["vi-nguoi-ngheo"]
    with pytest.raises(PermissionDenied):
        services.create_column(contributor, unit=tree["group"], name="Của tổ")
    with pytest.raises(PermissionDenied):
        services.retire_column(ward_editor, column=city_column)  # the city's, above the ward
    # a contributor: no columns page at all
    client.force_login(contributor)
    assert client.get(reverse("publishing:column_list")).status_code == 403
    assert client.get(
        f"/api/v1/publishing/staff-columns?unit_id={tree['bo_de'].pk}"
    ).status_code in (
        403,
        404,
    )
    # a sibling ward's editor: the ward's columns answer 404 on the page and the API alike
    client.force_login(sibling_editor)
    for path in (
        f"{reverse('publishing:column_list')}?unit={tree['bo_de'].pk}",
        reverse("publishing:column_edit", args=[ward_column.pk]),
    ):
        assert client.get(path).status_code == 404
    assert (
        client.post(
            reverse("publishing:column_action", args=[ward_column.pk, "retire"])
        ).status_code
        == 404
    )
    api = "/api/v1/publishing/staff-columns"
    assert client.get(f"{api}?unit_id={tree['bo_de'].pk}").status_code == 404
    assert client.post(f"{api}/{ward_column.pk}/retire").status_code == 404
    assert (
        client.put(
            f"{api}/{ward_column.pk}", {"name": "Đổi"}, content_type="application/json"
        ).status_code
        == 404
    )
    ward_column.refresh_from_db()
    assert ward_column.is_active and ward_column.name == "Tin phường"


def test_the_api_creates_renames_moves_and_retires(client, tree, ward_editor):
    client.force_login(ward_editor)
    api = "/api/v1/publishing/staff-columns"
    first = client.post(
        api, {"unit_id": tree["bo_de"].pk, "name": "Tin phường"}, content_type="application/json"
    )
    assert first.status_code == 201
    second = client.post(
        api, {"unit_id": tree["bo_de"].pk, "name": "Gương sáng"}, content_type="application/json"
    ).json()
    assert client.post(f"{api}/{second['id']}/up").json()["order"] == 0
    renamed = client.put(
        f"{api}/{second['id']}", {"name": "Gương sáng khu phố"}, content_type="application/json"
    ).json()
    assert renamed["name"] == "Gương sáng khu phố"
    assert client.post(f"{api}/{second['id']}/retire").json()["is_active"] is False
    listed = client.get(f"{api}?unit_id={tree['bo_de'].pk}").json()
    assert [c["name"] for c in listed] == ["Gương sáng khu phố", "Tin phường"]
