from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from safeguarding.accounts.models import UserSession
from safeguarding.core.models import SavedForm
from safeguarding.core.tasks import housekeeping
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_housekeeping_forgets_expired_sessions_their_tracking_and_stale_saved_forms(settings):
    user = UserFactory()
    live = verified_client(user)
    live_key = live.session.session_key
    Session.objects.create(
        session_key="expired-session", session_data="", expire_date=timezone.now() - timedelta(minutes=1)
    )
    UserSession.objects.create(user=user, session_key="expired-session")
    stale = SavedForm.objects.create(
        user=user,
        path="/x/",
        data={"a": ["b"]},
        created_at=timezone.now() - settings.SESSION_ABSOLUTE_LIMIT - timedelta(minutes=1),
    )
    fresh = SavedForm.objects.create(user=user, path="/x/", data={"a": ["b"]})

    result = housekeeping()

    assert result == {"sessions": 1, "session_tracking": 1, "saved_forms": 1}
    assert not Session.objects.filter(session_key="expired-session").exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live_key]
    assert not SavedForm.objects.filter(pk=stale.pk).exists()
    assert SavedForm.objects.filter(pk=fresh.pk).exists()
    assert live.get("/").status_code == 200


def test_housekeeping_is_declared_as_a_periodic_task():
    from django_celery_beat.models import PeriodicTask

    from safeguarding.core import periodic

    periodic.sync()
    task = PeriodicTask.objects.get(name="safeguarding:core.housekeeping")
    assert task.task == "safeguarding.core.tasks.housekeeping"
    assert task.enabled
