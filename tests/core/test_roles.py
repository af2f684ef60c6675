import pytest
from django.core.exceptions import PermissionDenied

from safeguarding.accounts.models import User
from safeguarding.core.access import require_editor


def test_case_editors_are_the_case_readers_but_the_force_lead():
    assert set(User.Role.case_readers()) == {User.Role.OFFICER, User.Role.SUPERVISOR, User.Role.FORCE_LEAD}
    assert set(User.Role.case_editors()) == set(User.Role.case_readers()) - {User.Role.FORCE_LEAD}


@pytest.mark.parametrize("role", [User.Role.OFFICER, User.Role.SUPERVISOR])
def test_require_editor_lets_editors_through(role):
    require_editor(User(role=role))


@pytest.mark.parametrize("role", [User.Role.FORCE_LEAD, User.Role.PARTNER, User.Role.ADMIN])
def test_require_editor_refuses_everyone_else(role):
    with pytest.raises(PermissionDenied):
        require_editor(User(role=role))
