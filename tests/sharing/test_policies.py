"""Every table the migrations make says whether it travels between laptops, and how."""

from app.migrations import expected_schema
from app.sharing.model import POLICIES, is_derived


def test_every_table_has_a_sharing_policy():
    tables = {name for kind, name in expected_schema() if kind == "table" and not is_derived(name)}
    assert sorted(tables - set(POLICIES)) == []
    assert sorted(set(POLICIES) - tables) == []
