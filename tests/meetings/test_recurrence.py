"""Recurrence over wall-clock time in Europe/Amsterdam, across both daylight-saving changes of 2026
(29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00)."""

from datetime import UTC, date, datetime, time

from leerkring.meetings.recurrence import Frequency, Pattern, occurrences, to_utc

AMS = "Europe/Amsterdam"


def test_weekly_wall_clock_time_holds_across_the_spring_change():
    rule = Pattern(Frequency.WEEKLY, interval=1, weekday=6, count=3).to_rrule()
    result = occurrences(rule, date(2026, 3, 22), time(19, 30), AMS)
    assert [o.local_start.time() for o in result] == [time(19, 30)] * 3
    # Winter time is UTC+1, summer time UTC+2: the same 19:30 is a different UTC hour.
    assert [o.starts_at for o in result] == [
        datetime(2026, 3, 22, 18, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 17, 30, tzinfo=UTC),
        datetime(2026, 4, 5, 17, 30, tzinfo=UTC),
    ]


def test_every_other_week_across_the_autumn_change():
    rule = Pattern(Frequency.WEEKLY, interval=2, weekday=6, until=date(2026, 11, 1)).to_rrule()
    result = occurrences(rule, date(2026, 10, 11), time(10, 0), AMS)
    assert [o.starts_at for o in result] == [
        datetime(2026, 10, 11, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 9, 0, tzinfo=UTC),
    ]


def test_a_time_that_does_not_exist_locally_is_skipped():
    rule = Pattern(Frequency.WEEKLY, interval=1, weekday=6, count=2).to_rrule()
    result = occurrences(rule, date(2026, 3, 22), time(2, 30), AMS)
    assert result[0].exists
    assert not result[1].exists
    assert result[1].local_start == datetime(2026, 3, 29, 2, 30)


def test_an_ambiguous_time_is_the_first_of_the_two():
    assert to_utc(datetime(2026, 10, 25, 2, 30), AMS) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_monthly_on_the_nth_and_last_weekday():
    second_tuesday = Pattern(Frequency.MONTHLY, interval=1, weekday=1, nth=2, count=3).to_rrule()
    result = occurrences(second_tuesday, date(2026, 1, 1), time(15, 0), AMS)
    assert [o.local_start.date() for o in result] == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)
    ]
    last_friday = Pattern(Frequency.MONTHLY, interval=1, weekday=4, nth=-1, count=2).to_rrule()
    result = occurrences(last_friday, date(2026, 1, 1), time(15, 0), AMS)
    assert [o.local_start.date() for o in result] == [date(2026, 1, 30), date(2026, 2, 27)]


def test_the_rrule_text_is_rfc_5545():
    assert (
        Pattern(Frequency.WEEKLY, interval=2, weekday=1, until=date(2026, 12, 31)).to_rrule()
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261231T235959"
    )
    assert Pattern(Frequency.MONTHLY, 1, 0, nth=-1, count=6).to_rrule() == (
        "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1MO;COUNT=6"
    )


def test_an_open_ended_series_stops_at_the_horizon():
    rule = Pattern(Frequency.WEEKLY, interval=1, weekday=0).to_rrule()
    result = occurrences(rule, date(2026, 1, 5), time(9, 0), AMS)
    assert 52 <= len(result) <= 53
