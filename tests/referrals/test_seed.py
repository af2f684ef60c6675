import pytest
from django.core.management import call_command

from referrals.models import Referral
from referrals.selectors import referrals_shared_with
from safeguarding.accounts.models import User

pytestmark = pytest.mark.django_db


def _seed_all():
    for command in ("seed_demo", "seed_demo_cases", "seed_demo_custody", "seed_demo_referrals"):
        call_command(command)


def test_demo_partners_each_see_their_own_seeded_referral_and_no_other():
    _seed_all()
    mash = User.objects.get(email__startswith="mash@")
    harbour = User.objects.get(email__startswith="harbour@")
    yjs = User.objects.get(email__startswith="yjs@")
    mash_refs = list(referrals_shared_with(mash))
    harbour_refs = list(referrals_shared_with(harbour))
    assert [r.agency_id for r in mash_refs] == [mash.agency_id]
    assert [r.agency_id for r in harbour_refs] == [harbour.agency_id]
    assert harbour_refs[0].status == Referral.Status.ACKNOWLEDGED
    assert harbour_refs[0].messages.filter(kind="update").exists()
    assert list(referrals_shared_with(yjs)) == []


def test_seed_demo_referrals_is_idempotent():
    _seed_all()
    count = Referral.objects.count()
    assert count == 2
    call_command("seed_demo_referrals")
    assert Referral.objects.count() == count
