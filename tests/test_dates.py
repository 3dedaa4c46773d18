"""Date and duration parsing, relative to a fixed today (Tuesday 2026-03-10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog import dates
from netlog.errors import InvalidValue

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 3, 9)),
        ("tomorrow", date(2026, 3, 11)),
        ("3d ago", date(2026, 3, 7)),
        ("3 days ago", date(2026, 3, 7)),
        ("2w ago", date(2026, 2, 24)),
        ("a week ago", date(2026, 3, 3)),
        ("1m ago", date(2026, 2, 10)),  # a calendar month back, not 30 days
        ("1y ago", date(2025, 3, 10)),
        ("in 2 weeks", date(2026, 3, 24)),
        ("in 3d", date(2026, 3, 13)),
        ("in a month", date(2026, 4, 10)),
        ("last friday", date(2026, 3, 6)),
        ("last tuesday", date(2026, 3, 3)),  # today is Tuesday: the one before
        ("last mon", date(2026, 3, 9)),
        ("next monday", date(2026, 3, 16)),
        ("next tuesday", date(2026, 3, 17)),
        ("next wednesday", date(2026, 3, 11)),
        ("this friday", date(2026, 3, 13)),
        ("last week", date(2026, 3, 3)),
        ("next month", date(2026, 4, 10)),
        ("4 Mar 2026", date(2026, 3, 4)),
        ("March 4, 2026", date(2026, 3, 4)),
        ("2026/03/04", date(2026, 3, 4)),
        ("13/04/2025", date(2025, 4, 13)),  # unambiguous: 13 can only be the day
        ("04/13/2025", date(2025, 4, 13)),
        ("March 4", date(2026, 3, 4)),
        ("  yesterday  ", date(2026, 3, 9)),
    ],
)
def test_dates_people_write(text, expected):
    assert dates.parse_date(text, today=TODAY) == expected


def test_a_month_and_day_without_year_in_the_past_means_the_latest_one():
    assert dates.parse_date("Dec 20", today=TODAY, past=True) == date(2025, 12, 20)
    assert dates.parse_date("Mar 1", today=TODAY, past=True) == date(2026, 3, 1)
    assert dates.parse_date("Dec 20", today=TODAY) == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "can't be empty"),
        ("soon", "not a date"),
        ("friday", "ambiguous"),
        ("03/04/2026", "ambiguous"),
        ("2026", "not a whole date"),
        ("March 2026", "not a whole date"),
        ("2026-02-30", "not a date"),
        ("last fortnight", "not a date"),
        ("99999 years ago", "too far"),
        ("26-03-04", "ambiguous"),  # 2026-03-04 or 2004-03-26?
        ("04.03.26", "ambiguous"),
        ("0226-03-04", "from 1900 to 2199"),
        ("1899-12-31", "from 1900 to 2199"),
    ],
)
def test_dates_refused(text, message):
    with pytest.raises(InvalidValue, match=message):
        dates.parse_date(text, today=TODAY)


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(1900, 1, 1), "yesterday"),
        (date(1900, 1, 3), "last friday"),
        (date(2199, 12, 31), "tomorrow"),
        (date(2199, 12, 30), "next friday"),
    ],
)
def test_the_edges_of_the_calendar_are_refused_not_crashed_on(today, text):
    with pytest.raises(InvalidValue, match="from 1900 to 2199"):
        dates.parse_date(text, today=today)


def test_netlog_today_must_be_in_range(monkeypatch):
    monkeypatch.setenv("NETLOG_TODAY", "0001-01-01")
    with pytest.raises(InvalidValue, match="NETLOG_TODAY"):
        dates.today()


def test_future_refused_for_things_that_happened():
    with pytest.raises(InvalidValue, match="after today"):
        dates.parse_date("tomorrow", today=TODAY, past=True)
    assert dates.parse_date("tomorrow", today=TODAY) == date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "days"),
    [("14d", 14), ("14", 14), ("2w", 14), ("3m", 90), ("1y", 365), ("2 weeks", 14), ("6 mo", 180)],
)
def test_durations_as_days(text, days):
    assert dates.parse_duration_days(text) == days


@pytest.mark.parametrize("text", ["0d", "-3d", "often", "3x", ""])
def test_durations_refused(text):
    with pytest.raises(InvalidValue):
        dates.parse_duration_days(text)


def test_durations_added_to_a_date_are_calendar_steps():
    assert dates.add_duration(date(2026, 1, 31), "1m") == date(2026, 2, 28)
    assert dates.add_duration(date(2024, 2, 29), "1y") == date(2025, 2, 28)
    assert dates.add_duration(TODAY, "2w") == date(2026, 3, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-14", (None, 3, 14)),
        ("1990-07-04", (1990, 7, 4)),
        ("--0203", (None, 2, 3)),
        ("02-29", (None, 2, 29)),
        ("19900704", (1990, 7, 4)),
    ],
)
def test_birthdays(text, expected):
    assert dates.parse_birthday(text) == expected


@pytest.mark.parametrize(
    "text", ["13-01", "02-30", "1990-02-29", "July 4", "0042-01-01", "1899-05-05", "2027-01-01", ""]
)
def test_birthdays_refused(text):
    with pytest.raises(InvalidValue):
        dates.parse_birthday(text, today=TODAY)


def test_today_honours_netlog_today(monkeypatch):
    monkeypatch.setenv("NETLOG_TODAY", "2030-01-02")
    assert dates.today() == date(2030, 1, 2)
    assert dates.now().date() == date(2030, 1, 2)
    monkeypatch.delenv("NETLOG_TODAY")
    assert dates.today() == date.today()


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
MIDDLE_START, MIDDLE_END = date(1950, 1, 1), date(2150, 12, 31)
middle_days = st.dates(min_value=MIDDLE_START, max_value=MIDDLE_END)
# The longest step that stays inside the calendar from any middle day, both ways.
max_step = min((MIDDLE_START - dates.EARLIEST).days, (dates.LATEST - MIDDLE_END).days)


@given(days)
def test_any_iso_date_reads_back(d):
    assert dates.parse_date(d.isoformat(), today=TODAY) == d


@given(st.integers(min_value=0, max_value=max_step), middle_days)
def test_n_days_ago_is_n_days_before_today(n, today):
    assert dates.parse_date(f"{n}d ago", today=today) == today - timedelta(days=n)
    assert dates.parse_date(f"in {n} days", today=today) == today + timedelta(days=n)


@given(middle_days, st.sampled_from(dates.WEEKDAYS))
def test_last_and_next_weekday_are_within_a_week_and_on_that_day(today, day):
    before = dates.parse_date(f"last {day}", today=today)
    after = dates.parse_date(f"next {day}", today=today)
    assert 1 <= (today - before).days <= 7 and 1 <= (after - today).days <= 7
    assert before.weekday() == after.weekday() == dates.WEEKDAYS.index(day)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_clear_refusal(text):
    try:
        result = dates.parse_date(text, today=TODAY, past=True)
    except InvalidValue as exc:
        assert exc.message and "\n" not in exc.message.strip()
    else:
        assert result <= TODAY
