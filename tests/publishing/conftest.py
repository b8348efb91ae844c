import pytest

from tests.factories import UserFactory, grant
from thidua.publishing import services


@pytest.fixture
def columns(tree):
    return {c.slug: c for c in services.ensure_columns(tree["city"])}


@pytest.fixture
def contributor(tree):
    """A residential officer of Tổ dân phố 1 (Phường Bồ Đề)."""
    user = UserFactory(username="to-truong", full_name="Nguyễn Thị Mai")
    grant(user, "officer", tree["group"])
    return user


@pytest.fixture
def ward_editor(tree):
    user = UserFactory(username="bientap-bode", full_name="Lê Văn Biên")
    grant(user, "editor", tree["bo_de"])
    return user


@pytest.fixture
def sibling_editor(tree):
    user = UserFactory(username="bientap-phucloi", full_name="Trần Văn Tập")
    grant(user, "editor", tree["phuc_loi"])
    return user


@pytest.fixture
def city_editor(tree):
    user = UserFactory(username="bientap-tp", full_name="Đỗ Thu Trang")
    grant(user, "editor", tree["city"])
    return user


@pytest.fixture
def chief(tree):
    user = UserFactory(username="tongbientap", full_name="Trần Thị Lan")
    grant(user, "leader", tree["city"])
    return user


BODY = (
    "<p>Tổ dân phố 1 trồng 200 cây xanh dọc ngõ.</p>"
    "<h2>Kết quả</h2><ul><li>Ngõ sạch</li><li>Bà con đồng lòng</li></ul>"
)


def write(user, unit, column, *, title="Ngõ xanh Tổ dân phố 1", body=BODY):
    return services.create_story(
        user,
        unit=unit,
        column=column,
        title=title,
        lead="Người dân Tổ dân phố 1 cùng nhau làm đẹp ngõ.",
        body=body,
    )


def publish(story, contributor, editor):
    services.submit_story(contributor, story=story, comment="Xin duyệt đăng")
    services.approve_story(editor, story=story)
    return services.publish_story(editor, story=story)


@pytest.fixture
def story(tree, columns, contributor):
    return write(contributor, tree["group"], columns["mo-hinh-dien-hinh"])
