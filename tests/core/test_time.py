from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from safeguarding.core.time import add_elapsed, as_utc, elapsed

LONDON = ZoneInfo("Europe/London")


def test_a_day_after_the_eve_of_the_october_change_is_24_real_hours():
    eve = datetime(2026, 10, 24, 20, 0, tzinfo=LONDON)  # BST
    later = add_elapsed(eve, timedelta(hours=24))
    assert later.astimezone(LONDON).hour == 19  # GMT: the wall clock went back an hour
    assert elapsed(eve, later) == timedelta(hours=24)


def test_elapsed_counts_real_time_between_two_london_times():
    before = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # GMT
    after = datetime(2026, 3, 29, 3, 30, tzinfo=LONDON)  # BST
    assert after - before == timedelta(hours=3)  # wall clock
    assert elapsed(before, after) == timedelta(hours=2)
    assert as_utc(after).utcoffset() == timedelta(0)
