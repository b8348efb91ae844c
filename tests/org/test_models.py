def test_lower_units_are_named_with_their_parent_without_a_query(tree, django_assert_num_queries):
    from thidua.org.models import Unit

    group = Unit.objects.with_parent().get(pk=tree["group"].pk)
    ward = Unit.objects.with_parent().get(pk=tree["bo_de"].pk)
    with django_assert_num_queries(0):
        assert group.display_name == "Tổ dân phố 1 — Phường Bồ Đề"
        assert ward.display_name == "Phường Bồ Đề"  # wards are unique in their city
        assert tree["city"].display_name == "Hà Nội"
