"""Retention of cases: the purge at a fixed moment, the warning to the author 30 days before, the
extension once, activity, and a circle's own shorter period on its case settings page."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app

from leerkring import scheduler
from leerkring.circles.models import CaseErasure, Visibility
from leerkring.extensions import db
from leerkring.notes import comment_services, retention
from leerkring.notes.models import CaseComment, CaseNote, PrivacyConfirmation, Reflection
from leerkring.notifications import outbox, services
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from tests.factories import (
    make_admin,
    make_case,
    make_circle,
    make_comment,
    make_reflection,
    make_user,
)

EN = {"Accept-Language": "en"}
#: A Monday morning, long after the cases below were written.
NOW = datetime(2029, 3, 5, 9, 0, tzinfo=UTC)
QUESTION = "Hoe blijf ik in gesprek met een bewoner die steeds afzegt?"
SITUATION = "Bewoner B. woont sinds kort zelfstandig en mijdt elk contact met de wijkploeg."
COMMENT = "Misschien helpt een vast moment in de week."


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def tick(now: datetime):
    with scheduler.job_context(current_app):
        return scheduler.tick(now)


def rows(case, status=None, channel=Channel.EMAIL) -> list[Delivery]:
    db.session.expire_all()
    statement = sa.select(Delivery).where(
        Delivery.kind == "case_expiring", Delivery.subject_id == case.id,
        Delivery.channel == channel,
    ).order_by(Delivery.id)
    if status is not None:
        statement = statement.where(Delivery.status == status)
    return list(db.session.execute(statement).scalars())


def confirm(user, subject_type, subject_id):
    db.session.add(PrivacyConfirmation(
        user_id=user.id, subject_type=subject_type, subject_id=subject_id, kinds="phone",
    ))
    db.session.commit()


def warnings(mailbox, user):
    return [m for m in mailbox.to(user.email) if "will be deleted" in m["Subject"]
            or "wordt verwijderd" in m["Subject"]]


def html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def people(app):
    coordinator = make_user(name="Coördinator Cora", locale="en")
    author = make_user(name="Anna", locale="en", timezone="Europe/Amsterdam")
    member = make_user(name="Bram", locale="en")
    circle = make_circle(coordinator=coordinator, members=[author, member])
    return circle, coordinator, author, member


def written(circle, author, at: datetime, **kw) -> CaseNote:
    return make_case(circle, author, question=QUESTION, situation=SITUATION,
                     last_activity_at=at, **kw)


# The purge -------------------------------------------------------------------------------------


def test_purge_deletes_exactly_the_expired_cases_with_their_comments_and_confirmations(
    people, caplog
):
    circle, coordinator, author, member = people
    old = written(circle, author, NOW - relativedelta(months=25), title="De deur die dicht bleef")
    on_the_dot = written(circle, member, NOW - relativedelta(months=24), title="Precies op tijd")
    young = written(circle, author, NOW - relativedelta(months=23), title="Nog even bewaren")
    extended = written(circle, author, NOW - relativedelta(months=25), title="Verlengd",
                       extended_at=NOW - relativedelta(months=2))
    top = make_comment(old, member, COMMENT)
    reply = make_comment(old, author, "Dat ga ik proberen.", parent_id=top.id)
    kept_comment = make_comment(young, member, COMMENT)
    for user, subject_type, subject_id in (
        (author, "case", old.id), (member, "comment", top.id), (author, "comment", reply.id),
        (author, "case", young.id), (member, "comment", kept_comment.id),
        # Another subject that happens to share an id with a purged case: kept.
        (author, "reflection", old.id),
    ):
        confirm(user, subject_type, subject_id)
    reflection = make_reflection(author, case_id=old.id)
    ids = {"old": old.id, "on_the_dot": on_the_dot.id, "young": young.id,
           "extended": extended.id, "top": top.id, "reply": reply.id}

    with caplog.at_level(logging.INFO, logger="leerkring.notes.retention"):
        purged = retention.purge(NOW)
        db.session.commit()

    assert purged.case_ids == sorted([ids["old"], ids["on_the_dot"]])
    assert (purged.comments, purged.confirmations) == (2, 3)
    remaining = set(db.session.execute(sa.select(CaseNote.id)).scalars())
    assert remaining == {ids["young"], ids["extended"]}
    assert set(db.session.execute(sa.select(CaseComment.id)).scalars()) == {kept_comment.id}
    assert set(
        db.session.execute(
            sa.select(PrivacyConfirmation.subject_type, PrivacyConfirmation.subject_id)
        ).all()
    ) == {("case", ids["young"]), ("comment", kept_comment.id), ("reflection", ids["old"])}
    reflection = db.session.get(Reflection, reflection.id)
    assert reflection is not None and reflection.case_id is None

    [record] = [r for r in caplog.records if r.name == "leerkring.notes.retention"]
    logged = record.getMessage()
    assert f"ids {min(purged.case_ids)},{max(purged.case_ids)}" in logged
    assert "2 expired cases" in logged and "2 comments" in logged
    assert "3 privacy confirmations" in logged
    for content in ("De deur", "Precies op tijd", QUESTION, SITUATION, COMMENT, "proberen"):
        assert content not in logged


def test_a_second_purge_finds_nothing_and_logs_nothing(people, caplog):
    circle, coordinator, author, member = people
    written(circle, author, NOW - relativedelta(months=25))
    retention.purge(NOW)
    db.session.commit()
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="leerkring.notes.retention"):
        again = retention.purge(NOW)

    assert again == retention.Purged()
    assert not [r for r in caplog.records if r.name == "leerkring.notes.retention"]


def test_every_planning_pass_purges_and_takes_the_cases_warnings_and_notices_along(
    people, mailbox
):
    circle, coordinator, author, member = people
    case = written(circle, author, NOW - relativedelta(months=24) + timedelta(days=10))
    tick(NOW)  # 10 days before its expiry: the warning goes out at once
    assert [n.kind for n in db.session.execute(sa.select(Notification)).scalars()] == [
        "case_expiring"
    ]
    case_id = case.id

    tick(case.expires_at)

    assert db.session.get(CaseNote, case_id) is None
    assert db.session.execute(sa.select(Notification)).scalars().all() == []


def test_the_purge_runs_a_fixed_number_of_statements(people, count_queries):
    circle, coordinator, author, member = people

    def expired_cases(n):
        for _ in range(n):
            case = written(circle, author, NOW - relativedelta(months=30))
            make_comment(case, member, COMMENT)
            confirm(author, "case", case.id)

    expired_cases(2)
    with count_queries() as few:
        assert len(retention.purge(NOW).case_ids) == 2
    db.session.commit()
    expired_cases(25)
    with count_queries() as many:
        assert len(retention.purge(NOW).case_ids) == 25
    assert few.count == many.count


# The warning -----------------------------------------------------------------------------------


def test_the_warning_is_planned_thirty_days_before_and_mailed_with_title_and_date_only(
    people, mailbox, client
):
    circle, coordinator, author, member = people
    # Expires Sunday 13 May 2029, 23:30 UTC: Monday 14 May in Amsterdam.
    case = written(circle, author, utc(2027, 5, 13, 23, 30), title="Een bewoner die afzegt")
    make_comment(case, member, COMMENT)
    assert case.expires_at == utc(2029, 5, 13, 23, 30)
    due = utc(2029, 4, 13, 23, 30)

    tick(due - timedelta(hours=25))
    assert rows(case) == []
    tick(due - timedelta(hours=1))
    [row] = rows(case, DeliveryStatus.PENDING)
    assert (row.user_id, row.due_at, row.expires_at) == (author.id, due, case.expires_at)
    assert warnings(mailbox, author) == []

    tick(due)

    [message] = warnings(mailbox, author)
    said = "Your case “Een bewoner die afzegt” will be deleted on May 14, 2029"
    assert message["Subject"] == said
    text = mailbox.text(message)
    assert said in text
    assert "You can extend it once" in text
    assert f"http://leerkring.test/notes/{case.id}" in html(message)
    for part in (text, html(message)):
        for content in (QUESTION, SITUATION, COMMENT, "Bewoner B."):
            assert content not in part
    assert [m["To"] for m in mailbox.messages if "will be deleted" in m["Subject"]] == [
        author.email
    ]
    [notice] = db.session.execute(
        sa.select(Notification).where(Notification.kind == "case_expiring")
    ).scalars().all()
    assert notice.user_id == author.id
    assert notice.params == {"title": "Een bewoner die afzegt", "date": "May 14, 2029"}
    with current_app.test_request_context(headers=EN):
        assert services.text(notice) == f"{said}."

    tick(due + timedelta(minutes=5))
    assert len(warnings(mailbox, author)) == 1


def test_the_warning_speaks_the_authors_language_and_says_when_it_was_extended(people, mailbox):
    circle, coordinator, author, member = people
    author.locale = "nl"
    db.session.commit()
    case = written(circle, author, utc(2027, 3, 1, 12), title="Verlengde casus",
                   extended_at=utc(2027, 3, 1, 12))
    assert case.expires_at == utc(2031, 3, 1, 12)

    tick(utc(2031, 1, 30, 12))

    [message] = mailbox.to(author.email)
    assert "1 maart 2031" in message["Subject"] and "Verlengde casus" in message["Subject"]
    author.locale = "en"
    db.session.commit()
    mailbox.clear()
    other = written(circle, author, utc(2027, 3, 2, 12), title="Nog een",
                    extended_at=utc(2027, 3, 2, 12))
    tick(utc(2031, 1, 31, 12))
    [message] = mailbox.to(author.email)
    assert other.title in message["Subject"]
    assert "You have extended it once already" in mailbox.text(message)
    assert "You can extend it once" not in mailbox.text(message)


def test_a_case_without_author_warns_nobody(people, mailbox):
    circle, coordinator, author, member = people
    case = written(circle, author, NOW - relativedelta(months=24) + timedelta(days=10))
    case.author_id = None
    db.session.commit()

    tick(NOW)

    assert rows(case) == []
    assert not any("will be deleted" in m["Subject"] for m in mailbox.messages)


def test_a_one_month_period_warns_half_a_month_before_not_the_day_after_writing(people):
    circle, coordinator, author, member = people
    circle.case_retention_months = 1
    db.session.commit()
    case = written(circle, author, utc(2029, 1, 1, 10))
    assert case.expires_at == utc(2029, 2, 1, 10)

    tick(utc(2029, 1, 16, 23))

    [row] = rows(case)
    assert row.due_at == utc(2029, 1, 16, 22)


# Activity and the extension --------------------------------------------------------------------


def test_activity_moves_the_expiry_and_the_old_warning_never_goes_out(people, mailbox):
    circle, coordinator, author, member = people
    case = written(circle, author, NOW - relativedelta(months=24) + timedelta(days=10))
    db.session.commit()
    with scheduler.job_context(current_app):
        scheduler.plan(NOW)
    [row] = rows(case, DeliveryStatus.PENDING)

    comment_services.add_comment(case, member, COMMENT, now=NOW + timedelta(minutes=1))
    db.session.commit()
    assert case.expires_at == NOW + timedelta(minutes=1) + relativedelta(months=24)

    with scheduler.job_context(current_app):
        scheduler.deliver(NOW + timedelta(minutes=2))
    assert warnings(mailbox, author) == []
    assert db.session.get(Delivery, row.id).status == DeliveryStatus.CANCELLED


def extend_url(case) -> str:
    return f"/notes/{case.id}/extend"


def test_extending_moves_the_expiry_once_and_replaces_the_pending_warning(
    people, client, login, mailbox
):
    circle, coordinator, author, member = people
    now = datetime.now(UTC)
    case = written(circle, author, now - relativedelta(months=24) + timedelta(days=10))
    last_activity_at = case.last_activity_at
    outbox.replan("case", case.id)
    db.session.commit()
    [old] = rows(case, DeliveryStatus.PENDING)

    login(author)
    response = client.post(extend_url(case), headers=EN)

    assert response.status_code == 303
    db.session.expire_all()
    case = db.session.get(CaseNote, case.id)
    assert case.extended_at is not None
    assert case.expires_at == last_activity_at + relativedelta(months=48)
    assert db.session.get(Delivery, old.id).status == DeliveryStatus.CANCELLED
    [new] = rows(case, DeliveryStatus.PENDING)
    assert new.due_at == case.expires_at - timedelta(days=30)
    tick(datetime.now(UTC))
    assert warnings(mailbox, author) == []

    again = client.post(extend_url(case), headers=EN)
    assert again.status_code == 403
    db.session.expire_all()
    assert db.session.get(CaseNote, case.id).expires_at == last_activity_at + relativedelta(
        months=48
    )


def test_only_the_author_may_extend(people, client, login):
    circle, coordinator, author, member = people
    case = written(circle, author, datetime.now(UTC))
    login(coordinator)
    assert client.post(extend_url(case)).status_code == 403
    db.session.expire_all()
    assert db.session.get(CaseNote, case.id).extended_at is None


# A circle's period ----------------------------------------------------------------------------


def settings_url(circle) -> str:
    return f"/circles/{circle.id}/case-settings"


def own_period(months, erasure="anonymise") -> dict:
    return {"period": "own", "months": str(months), "erasure": erasure}


def test_a_shorter_period_applies_to_the_circles_cases_and_replans_their_warnings(
    people, client, login
):
    circle, coordinator, author, member = people
    now = datetime.now(UTC)
    recent = written(circle, author, now - relativedelta(months=2))
    old = written(circle, author, now - relativedelta(months=20))
    outbox.replan("case", [recent.id, old.id])
    db.session.commit()
    [recent_warning] = rows(recent, DeliveryStatus.PENDING)
    other_circle = make_circle(coordinator=coordinator)
    elsewhere = written(other_circle, author, now - relativedelta(months=20))
    untouched = elsewhere.expires_at
    ids = recent.id, old.id, recent.last_activity_at
    login(coordinator)

    response = client.post(settings_url(circle), data=own_period(6, "delete"), headers=EN)

    assert response.status_code == 303
    after = datetime.now(UTC)
    db.session.expire_all()
    circle = db.session.get(type(circle), circle.id)
    assert (circle.case_retention_months, circle.case_erasure) == (6, CaseErasure.DELETE)
    recent, old = db.session.get(CaseNote, ids[0]), db.session.get(CaseNote, ids[1])
    assert recent.expires_at == ids[2] + relativedelta(months=6)
    # Its six months are long past, but its author is told 30 days before it goes.
    assert now + timedelta(days=30) <= old.expires_at <= after + timedelta(days=30)
    assert db.session.get(CaseNote, elsewhere.id).expires_at == untouched
    assert db.session.get(Delivery, recent_warning.id).status == DeliveryStatus.CANCELLED
    [new] = rows(recent, DeliveryStatus.PENDING)
    assert new.due_at == recent.expires_at - timedelta(days=30)
    [told] = rows(old, DeliveryStatus.PENDING)
    assert told.due_at <= after

    page = client.get(settings_url(circle), headers=EN)
    assert 'value="6"' in page.text
    assert '<input checked id="period-1" name="period" type="radio" value="own">' in page.text
    assert '<input checked id="erasure-1" name="erasure" type="radio" value="delete">' in page.text


def test_the_platform_default_again_restores_the_longer_period(people, client, login):
    circle, coordinator, author, member = people
    circle.case_retention_months = 6
    db.session.commit()
    case = written(circle, author, datetime.now(UTC) - relativedelta(months=1))
    last = case.last_activity_at
    login(coordinator)

    response = client.post(
        settings_url(circle), data={"period": "platform", "months": "", "erasure": "anonymise"}
    )

    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(circle), circle.id).case_retention_months is None
    assert db.session.get(CaseNote, case.id).expires_at == last + relativedelta(months=24)


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ("36", "A circle may keep cases at most 24 months, the platform's period."),
        ("0", "Keep cases at least one month."),
        ("", "Enter the number of months."),
        ("zes", "Enter a whole number, such as 12."),
    ],
)
def test_a_period_outside_the_platforms_is_refused_with_the_input_kept(
    people, client, login, months, message
):
    circle, coordinator, author, member = people
    case = written(circle, author, datetime.now(UTC))
    before = case.expires_at
    login(coordinator)

    response = client.post(settings_url(circle), data=own_period(months), headers=EN)

    assert response.status_code == 422
    assert message in response.text
    assert 'id="months-error"' in response.text
    assert f'value="{months}"' in response.text
    db.session.expire_all()
    assert db.session.get(type(circle), circle.id).case_retention_months is None
    assert db.session.get(CaseNote, case.id).expires_at == before


def test_a_choice_that_is_not_offered_is_refused(people, client, login):
    circle, coordinator, author, member = people
    login(coordinator)
    response = client.post(
        settings_url(circle), data={"period": "forever", "months": "", "erasure": "shred"},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Choose how long cases are kept." in response.text
    assert "Choose what happens to their cases and comments." in response.text


# The settings page -----------------------------------------------------------------------------


def test_coordinators_see_the_settings_page_in_english_and_dutch(people, client, login):
    circle, coordinator, author, member = people
    circle.case_retention_months = 12
    circle.case_erasure = CaseErasure.DELETE
    coordinator.locale = None  # the browser's language decides
    db.session.commit()
    login(coordinator)

    english = client.get(settings_url(circle), headers=EN)
    dutch = client.get(settings_url(circle))

    assert english.status_code == dutch.status_code == 200
    assert f"Case settings for {circle.name}" in english.text
    assert "The platform default (24 months)" in english.text
    assert "They are kept, without the member's name" in english.text
    assert 'value="12"' in english.text
    assert english.headers["Cache-Control"] == "no-store"
    assert '<html lang="nl"' in dutch.text
    assert "Opslaan" in dutch.text


def test_the_circle_page_links_coordinators_to_the_case_settings(people, client, login):
    circle, coordinator, author, member = people
    login(member)
    assert settings_url(circle) not in client.get(f"/circles/{circle.id}").text
    client.post("/account/logout")
    login(coordinator)
    assert settings_url(circle) in client.get(f"/circles/{circle.id}").text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("coordinator", 200),
        ("coordinator elsewhere", 403),
        ("outsider", 403),
        ("admin", 200),
    ],
)
def test_who_may_open_the_case_settings(people, client, login, who, status):
    circle, coordinator, author, member = people
    if who == "coordinator elsewhere":
        user = make_user()
        make_circle(coordinator=user)
    else:
        user = {"member": member, "coordinator": coordinator}.get(who) or (
            make_admin() if who == "admin" else make_user()
        )
    login(user)

    assert client.get(settings_url(circle)).status_code == status
    posted = client.post(settings_url(circle), data=own_period(3))
    assert posted.status_code == (303 if status == 200 else status)
    db.session.expire_all()
    expected = 3 if status == 200 else None
    assert db.session.get(type(circle), circle.id).case_retention_months == expected


def test_a_members_only_circle_is_not_found_by_outsiders(client, login):
    circle = make_circle(coordinator=make_user(), visibility=Visibility.MEMBERS)
    login(make_user())
    assert client.get(settings_url(circle)).status_code == 404


def test_an_archived_circle_keeps_its_settings(people, client, login):
    circle, coordinator, author, member = people
    circle.archived_at = datetime.now(UTC)
    db.session.commit()
    login(coordinator)
    assert client.get(settings_url(circle)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(people, client):
    circle = people[0]
    response = client.get(settings_url(circle))
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
