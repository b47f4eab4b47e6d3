"""The review calendar: meetings, prompt windows, DST, and every error named."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from jirasync.review import ReviewCalendar, ReviewCycle

LONDON, NEW_YORK = "Europe/London", "America/New_York"
FIRST_TUESDAY = "FREQ=MONTHLY;BYDAY=1TU"
LAST_TUESDAY = "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1"


def calendar(rule=FIRST_TUESDAY, *, time="10:00", tz=LONDON, days=7) -> ReviewCalendar:
    return ReviewCalendar(rule=rule, time=time, timezone=tz, prompt_days_before=days)


def at(text: str, tz: str = LONDON, fold: int = 0) -> datetime:
    """A local wall time in ``tz``, or the instant itself when the text carries an offset."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz), fold=fold)


def iso(moments) -> list[str]:
    return [m.isoformat(timespec="minutes") for m in moments]


@pytest.mark.parametrize("rule, tz, start, end, expected", [
    pytest.param(FIRST_TUESDAY, LONDON, "2026-12-01", "2027-02-01",
                 ["2026-12-01T10:00+00:00", "2027-01-05T10:00+00:00"], id="first-tuesday"),
    pytest.param("RRULE:" + FIRST_TUESDAY, LONDON, "2026-12-01", "2027-01-01",
                 ["2026-12-01T10:00+00:00"], id="rrule-prefix"),
    pytest.param("rrule:freq=monthly;byday=1tu;", LONDON, "2026-12-01", "2027-01-01",
                 ["2026-12-01T10:00+00:00"], id="lower-case-trailing-semicolon"),
    pytest.param("FREQ=MONTHLY;BYMONTHDAY=-1", LONDON, "2027-01-01", "2027-05-01",
                 ["2027-01-31T10:00+00:00", "2027-02-28T10:00+00:00",
                  "2027-03-31T10:00+01:00", "2027-04-30T10:00+01:00"],
                 id="last-day-february-and-30-day-month"),
    pytest.param("FREQ=MONTHLY;BYMONTHDAY=-1", LONDON, "2028-02-01", "2028-03-01",
                 ["2028-02-29T10:00+00:00"], id="last-day-leap-february"),
    pytest.param(LAST_TUESDAY, LONDON, "2027-01-01", "2027-04-01",
                 ["2027-01-26T10:00+00:00", "2027-02-23T10:00+00:00",
                  "2027-03-30T10:00+01:00"], id="last-tuesday-bysetpos"),
    pytest.param("FREQ=WEEKLY;BYDAY=MO", LONDON, "2027-01-01", "2027-01-20",
                 ["2027-01-04T10:00+00:00", "2027-01-11T10:00+00:00",
                  "2027-01-18T10:00+00:00"], id="weekly-monday"),
    # The rule is not holiday-aware: a meeting in a UK bank-holiday week stays on the
    # rule's date, and the PMO moves it by hand if the room is empty.
    pytest.param(FIRST_TUESDAY, LONDON, "2027-05-01", "2027-07-01",
                 ["2027-05-04T10:00+01:00", "2027-06-01T10:00+01:00"],
                 id="bank-holiday-weeks-early-and-late-may"),
    pytest.param(LAST_TUESDAY, LONDON, "2027-03-01", "2027-04-01",
                 ["2027-03-30T10:00+01:00"], id="bank-holiday-week-easter-tuesday"),
    pytest.param(FIRST_TUESDAY, NEW_YORK, "2026-10-01", "2026-12-01",
                 ["2026-10-06T10:00-04:00", "2026-11-03T10:00-05:00"], id="new-york"),
    pytest.param(FIRST_TUESDAY, LONDON, "2026-12-01T10:00", "2027-01-05T10:00",
                 ["2026-12-01T10:00+00:00"], id="start-inclusive-end-exclusive"),
    pytest.param(FIRST_TUESDAY, LONDON, "2027-01-01", "2026-12-01", [], id="empty-range"),
    pytest.param(FIRST_TUESDAY, LONDON, "2199-12-01", "2200-01-01",
                 ["2199-12-03T10:00+00:00"], id="far-future"),
])
def test_meetings(rule, tz, start, end, expected):
    assert iso(calendar(rule, tz=tz).meetings(at(start, tz), at(end, tz))) == expected


def test_meetings_are_in_the_calendar_timezone_whatever_the_query():
    found = calendar(tz=NEW_YORK).meetings(at("2026-11-01T00:00Z"), at("2026-12-01T00:00Z"))
    assert iso(found) == ["2026-11-03T10:00-05:00"]
    assert found[0].tzinfo == ZoneInfo(NEW_YORK)


@pytest.mark.parametrize("rule", [
    FIRST_TUESDAY, LAST_TUESDAY, "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE", "FREQ=MONTHLY", "FREQ=YEARLY;INTERVAL=2",
    "FREQ=DAILY;INTERVAL=5", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=TH",
])
def test_meetings_match_the_rule_counted_from_2000(rule):
    # Queries start the rule near the asked-for date, not in 2000; INTERVAL and the parts
    # taken from DTSTART must keep the phase they would have had from 2000.
    expected = rrulestr(rule, dtstart=datetime(2000, 1, 1, 10)).between(
        datetime(2026, 1, 1), datetime(2031, 1, 1))
    found = calendar(rule, tz="UTC").meetings(at("2026-01-01T00:00Z"), at("2031-01-01T00:00Z"))
    assert [m.replace(tzinfo=None) for m in found] == expected


@pytest.mark.parametrize("rule, time, tz, after, meeting, prompt_from", [
    pytest.param(FIRST_TUESDAY, "10:00", LONDON, "2027-10-20",
                 "2027-11-02T10:00+00:00", "2027-10-26T00:00+01:00",
                 id="london-after-last-sunday-of-october"),
    pytest.param(LAST_TUESDAY, "10:00", LONDON, "2026-10-20",
                 "2026-10-27T10:00+00:00", "2026-10-20T00:00+01:00",
                 id="london-two-days-after-the-clocks-go-back"),
    pytest.param(LAST_TUESDAY, "10:00", LONDON, "2027-03-20",
                 "2027-03-30T10:00+01:00", "2027-03-23T00:00+00:00",
                 id="london-after-last-sunday-of-march"),
    pytest.param(FIRST_TUESDAY, "10:00", NEW_YORK, "2026-10-20",
                 "2026-11-03T10:00-05:00", "2026-10-27T00:00-04:00",
                 id="new-york-after-first-sunday-of-november"),
    pytest.param("FREQ=MONTHLY;BYDAY=3TU", "10:00", NEW_YORK, "2027-03-01",
                 "2027-03-16T10:00-04:00", "2027-03-09T00:00-05:00",
                 id="new-york-after-second-sunday-of-march"),
    # 01:30 does not exist on the day the clocks go forward: moved on by the hour skipped.
    pytest.param("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "01:30", LONDON, "2027-01-01",
                 "2027-03-28T02:30+01:00", "2027-03-21T00:00+00:00", id="london-gap"),
    pytest.param("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "02:30", NEW_YORK, "2027-01-01",
                 "2027-03-14T03:30-04:00", "2027-03-07T00:00-05:00", id="new-york-gap"),
    # 01:30 happens twice on the day the clocks go back: the first one.
    pytest.param("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "01:30", LONDON, "2026-01-01",
                 "2026-10-25T01:30+01:00", "2026-10-18T00:00+01:00", id="london-overlap"),
])
def test_daylight_saving(rule, time, tz, after, meeting, prompt_from):
    cycle = calendar(rule, time=time, tz=tz).upcoming(at(after, tz))
    assert iso([cycle.meeting, cycle.prompt_from]) == [meeting, prompt_from]
    assert cycle.name == meeting[:10]


@pytest.mark.parametrize("after, expected", [
    pytest.param(at("2026-10-25T01:20", fold=0), "2026-10-25T01:30+01:00",
                 id="before-it-in-the-first-hour"),
    pytest.param(at("2026-10-25T01:40", fold=0), "2027-10-31T01:30+01:00",
                 id="after-it-in-the-first-hour"),
    # Later on the wall clock than the meeting's 01:30 would be misread as earlier if
    # compared by wall time: 01:10 the second time round is 40 minutes after it.
    pytest.param(at("2026-10-25T01:10", fold=1), "2027-10-31T01:30+01:00",
                 id="second-time-round-is-later"),
])
def test_next_meeting_in_the_autumn_overlap_compares_instants(after, expected):
    rule = "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    assert iso([calendar(rule, time="01:30").next_meeting(after)]) == [expected]


@pytest.mark.parametrize("after, expected", [
    pytest.param(at("2026-12-01T09:59"), "2026-12-01T10:00+00:00", id="just-before"),
    pytest.param(at("2026-12-01T10:00"), "2027-01-05T10:00+00:00", id="at-it-means-next"),
    pytest.param(at("2026-12-01T10:00Z"), "2027-01-05T10:00+00:00", id="at-it-in-utc"),
    pytest.param(at("2026-12-01T05:00-05:00"), "2027-01-05T10:00+00:00", id="at-it-in-ny"),
])
def test_next_meeting_is_strictly_after(after, expected):
    assert iso([calendar().next_meeting(after)]) == [expected]


@pytest.mark.parametrize("kwargs, now, expected", [
    pytest.param({}, at("2026-11-24T00:00"), "2026-12-01", id="window-opens-inclusive"),
    pytest.param({}, at("2026-11-23T23:59"), None, id="minute-before-window"),
    pytest.param({}, at("2026-12-01T09:59"), "2026-12-01", id="minute-before-meeting"),
    pytest.param({}, at("2026-12-01T10:00"), None, id="meeting-starts-window-closed"),
    pytest.param({}, at("2026-12-15T12:00"), None, id="between-windows"),
    pytest.param({}, at("2027-01-26T10:00"), "2027-02-02", id="window-opens-in-january"),
    pytest.param({}, at("2027-01-31T23:59"), "2027-02-02", id="window-across-month-end"),
    pytest.param({}, at("2027-02-01T00:00"), "2027-02-02", id="window-into-february"),
    # In summer time London is UTC+1: the window opens at 23:00 UTC the day before.
    pytest.param({}, at("2027-10-25T22:59Z"), None, id="utc-minute-before-bst-window"),
    pytest.param({}, at("2027-10-25T23:00Z"), "2027-11-02", id="utc-bst-window-opens"),
    pytest.param({}, at("2027-11-02T09:59Z"), "2027-11-02", id="utc-before-gmt-meeting"),
    pytest.param({}, at("2027-11-02T10:00Z"), None, id="utc-gmt-meeting-starts"),
    pytest.param({}, at("2026-12-01T18:59+09:00"), "2026-12-01", id="tokyo-before-meeting"),
    pytest.param({}, at("2026-12-01T19:00+09:00"), None, id="tokyo-at-meeting"),
    pytest.param({"tz": NEW_YORK}, at("2026-10-27T03:59Z"), None, id="ny-before-window-utc"),
    pytest.param({"tz": NEW_YORK}, at("2026-10-27T04:00Z"), "2026-11-03", id="ny-opens-edt"),
    pytest.param({"tz": NEW_YORK}, at("2026-11-03T14:59Z"), "2026-11-03", id="ny-before-est"),
    pytest.param({"tz": NEW_YORK}, at("2026-11-03T15:00Z"), None, id="ny-meeting-est"),
    pytest.param({"tz": NEW_YORK}, at("2026-11-03T09:59", NEW_YORK), "2026-11-03",
                 id="ny-local-before-meeting"),
    # Ten-day prompts on a weekly rule overlap: the nearest meeting is the cycle.
    pytest.param({"rule": "FREQ=WEEKLY;BYDAY=MO", "days": 10}, at("2027-01-10T12:00"),
                 "2027-01-11", id="overlapping-windows-nearest-meeting"),
    pytest.param({"days": 0}, at("2026-11-30T23:59"), None, id="zero-days-not-the-day-before"),
    pytest.param({"days": 0}, at("2026-12-01T09:59"), "2026-12-01", id="zero-days-meeting-day"),
])
def test_cycle_at(kwargs, now, expected):
    cycle = calendar(**kwargs).cycle_at(now)
    assert (cycle.name if cycle else None) == expected


def test_cycle_window_crossing_month_end():
    cycle = calendar().cycle_at(at("2027-01-28T15:00"))
    assert cycle == ReviewCycle(at("2027-02-02T10:00"), at("2027-01-26T00:00"))
    assert cycle.name == "2027-02-02"


def test_upcoming_outside_any_window():
    cycle = calendar().upcoming(at("2026-12-10T10:00"))
    assert (cycle.name, iso([cycle.prompt_from])) == ("2027-01-05", ["2026-12-29T00:00+00:00"])
    assert not cycle.in_prompt_window(at("2026-12-10T10:00"))


@pytest.mark.parametrize("now, inside", [
    pytest.param(at("2026-11-24T09:59:59"), False, id="before"),
    pytest.param(at("2026-11-24T10:00"), True, id="prompt-from"),
    pytest.param(at("2026-12-01T09:59:59"), True, id="last-second"),
    pytest.param(at("2026-12-01T10:00"), False, id="meeting"),
])
def test_in_prompt_window(now, inside):
    cycle = ReviewCycle(at("2026-12-01T10:00"), at("2026-11-24T10:00"))
    assert cycle.in_prompt_window(now) is inside


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar().cycle_at(datetime(2026, 11, 25, 10))


@pytest.mark.parametrize("rule, message", [
    pytest.param("", "empty", id="empty"),
    pytest.param("BYDAY=1TU", "FREQ must be one of", id="no-freq"),
    pytest.param("FREQ=FORTNIGHTLY", "FREQ must be one of", id="unknown-freq"),
    pytest.param("FREQ=HOURLY", "at most once a day", id="hourly"),
    pytest.param("FREQ=MONTHLY;BYDAY=1XX", "not a valid RFC 5545", id="bad-byday"),
    pytest.param("FREQ=MONTHLY;BYFOO=1", "unknown part BYFOO", id="unknown-part"),
    pytest.param("FREQ=MONTHLY;BYDAY", "not NAME=VALUE", id="part-without-value"),
    pytest.param("FREQ=MONTHLY;FREQ=WEEKLY", "given twice", id="repeated-part"),
    pytest.param("FREQ=MONTHLY;INTERVAL=0", "INTERVAL must be", id="interval-zero"),
    pytest.param("FREQ=MONTHLY;COUNT=3", "remove COUNT", id="count"),
    pytest.param("FREQ=MONTHLY;UNTIL=20271231T000000Z", "remove UNTIL", id="until"),
    pytest.param("FREQ=MONTHLY;BYHOUR=9", "remove BYHOUR", id="byhour"),
    pytest.param("DTSTART=20260101T100000;FREQ=MONTHLY", "remove DTSTART", id="dtstart"),
    pytest.param("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never produces", id="never"),
    pytest.param("FREQ=MONTHLY;BYMONTH=13", "never produces", id="month-13"),
])
def test_invalid_rule(rule, message):
    with pytest.raises(ValueError, match=message) as caught:
        calendar(rule)
    # The config loader files the message under the key it names.
    assert "rule" in str(caught.value) and "zone" not in str(caught.value)


@pytest.mark.parametrize("time", ["25:00", "10:60", "10", "ten", "10:00:00", "", None])
def test_invalid_time(time):
    with pytest.raises(ValueError, match="time") as caught:
        calendar(time=time)
    assert "rule" not in str(caught.value) and "zone" not in str(caught.value)


@pytest.mark.parametrize("tz", ["Europe/Londres", "", "../etc/passwd", "Mars/Olympus_Mons"])
def test_invalid_timezone(tz):
    with pytest.raises(ValueError, match="unknown timezone"):
        calendar(tz=tz)


@pytest.mark.parametrize("days", [-1, 1.5, True])
def test_invalid_prompt_days(days):
    with pytest.raises(ValueError, match="prompt_days_before"):
        calendar(days=days)


def test_single_digit_hour_accepted():
    meeting = calendar(time="9:05").next_meeting(at("2026-11-01T00:00"))
    assert iso([meeting]) == ["2026-11-03T09:05+00:00"]


def test_queries_are_independent_of_order():
    # Each query stands alone; a far-future one first must not shift a nearer one's phase.
    cal = calendar("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
    later = cal.next_meeting(at("2090-06-01T00:00"))
    nearer = cal.next_meeting(at("2027-01-01T00:00"))
    assert (later.date() - nearer.date()).days % 14 == 0
    assert (later.hour, nearer.hour) == (10, 10)
