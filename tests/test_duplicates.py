"""Duplicates at the door: an email or profile link names one person."""

from __future__ import annotations


def test_add_refuses_an_email_someone_already_has(netlog):
    netlog("add", "Jane Doe", "--email", "jane@acme.com")
    refused = netlog.fail("add", "Jane D.", "--email", "JANE@acme.com")
    assert refused.stderr == (
        'Error: "JANE@acme.com" is already the email of Jane Doe (jane-doe): the same person? '
        "Update them with netlog edit jane-doe, or add anyway with --force.\n"
    )
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe"]
    netlog("add", "Jane D.", "--email", "JANE@acme.com", "--force")
    assert [c["handle"] for c in netlog.json("list")] == ["jane-d", "jane-doe"]


def test_add_refuses_a_profile_link_someone_already_has(netlog):
    netlog("add", "Jane Doe", "--url", "https://www.linkedin.com/in/jane-doe/")
    refused = netlog.fail("add", "J. Doe", "--url", "http://linkedin.com/in/jane-doe")
    assert "already the profile link of Jane Doe (jane-doe)" in refused.stderr
    netlog("add", "Other Jane", "--url", "https://www.linkedin.com/in/jane-doe-2")  # another person


def test_edit_refuses_another_persons_email_and_points_at_merge(netlog):
    netlog("add", "Jane Doe", "--email", "jane@acme.com")
    netlog("add", "Jane D.")
    refused = netlog.fail("edit", "jane-d", "--email", "jane@acme.com")
    assert "Fold them into one with netlog merge jane-d jane-doe" in refused.stderr
    netlog("edit", "jane-doe", "--email", "jane@acme.com")  # her own: nothing to refuse


def test_merge_dry_run_says_what_would_move(netlog):
    netlog("add", "Jane Doe", "--email", "jane@acme.com", "--tag", "climate", "--met", "2026-03-01")
    netlog("add", "J. Doe", "--email", "jd@home.example", "--email", "JANE@acme.com", "--force",
           "--tag", "climate", "--tag", "vip", "--met", "2026-03-02")  # fmt: skip
    netlog("add", "Sam Rivera", "--via", "j-doe")
    netlog("meet", "j-doe", "jane-doe", "--date", "2026-03-05")
    netlog("give", "j-doe", "an intro")
    netlog("ask", "j-doe", "advice", "-q")
    before = netlog.json("list")
    preview = netlog.json("merge", "jane-doe", "j-doe", "--dry-run")
    # J. Doe's first meeting and the shared one; three favors (the intro and the advice,
    # and introducing you to Sam); vip (climate she has); the home address (the acme one
    # she has); Sam, whom J. Doe introduced.
    assert preview["moved"] == {
        "touches": 2, "favors": 3, "tags": 1, "emails": 1, "introduced": 1, "needs": 0,  # needs: added later
    }  # fmt: skip
    assert preview["emails"] == ["jane@acme.com", "jd@home.example"] and preview["tags"] == ["climate", "vip"]
    out = netlog("merge", "jane-doe", "j-doe", "--dry-run").stdout
    assert out.startswith(
        "Would merge J. Doe (j-doe) into Jane Doe (jane-doe), with 2 touches, 3 favors, 1 new tag, "
        "1 new email, 1 introduction:"
    )
    assert netlog.json("list") == before  # nothing was written


def test_merge_keeps_the_day_you_first_met(netlog):
    netlog("add", "Jane Doe", "--met", "2026-03-01")
    netlog("add", "J. Doe", "--met", "2026-01-05")  # the duplicate was met first
    merged = netlog.json("merge", "jane-doe", "j-doe")
    assert merged["met_on"] == "2026-01-05"
    assert merged["notes"] == "Not kept when J. Doe (j-doe) was merged in: met on 2026-03-01"
