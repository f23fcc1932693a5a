"""Draft → submitted → published, sending back to draft with a reason, unpublishing, deleting a
draft, the notices and mails on the way, and the library's part of a user's data rights."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from leerkring.accounts import data_rights
from leerkring.demo_library import minimal_pdf
from leerkring.extensions import db
from leerkring.library import storage
from leerkring.library.models import ItemStatus, LibraryItem, library_item_authors
from leerkring.notifications import services as notifications
from leerkring.notifications.models import Notification
from tests.factories import (
    make_admin,
    make_library_item,
    make_user,
    make_werkplaats_admin,
    werkplaats,
)

EN = {"Accept-Language": "en"}


def switch(client, login, user):
    client.post("/account/logout")
    login(user)


def notices(user) -> list[str]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id))
    with_request = []
    for row in rows:
        with_request.append(notifications.text(row))
    return with_request


@pytest.fixture
def twente_item():
    maker = make_user(name="Maker")
    co_author = make_user(name="Co-auteur")
    item = make_library_item(maker, title="Buurtgesprekken", status=ItemStatus.DRAFT,
                             werkplaatsen=[werkplaats("twente")], authors=[maker, co_author])
    return item, maker, co_author


def status_of(item) -> ItemStatus:
    db.session.expire_all()
    return db.session.get(LibraryItem, item.id).status


# Submitting -------------------------------------------------------------------------------------


def test_the_maker_submits_and_the_werkplaats_admin_hears_of_it(client, login, twente_item):
    item, maker, _co_author = twente_item
    admin = make_werkplaats_admin("twente")
    other_admin = make_werkplaats_admin("friesland")
    login(maker)

    page = client.get(f"/library/{item.id}/buurtgesprekken", headers=EN)
    assert "Submit for publication" in page.text and "Delete draft" in page.text
    response = client.post(f"/library/{item.id}/submit", headers=EN)

    assert response.status_code == 303
    assert status_of(item) == ItemStatus.SUBMITTED
    assert db.session.get(LibraryItem, item.id).submitted_at is not None
    assert "is submitted" in client.get(response.headers["Location"], headers=EN).text
    with_app_locale = notices(admin)
    assert len(with_app_locale) == 1 and "Buurtgesprekken" in with_app_locale[0]
    assert notices(other_admin) == []


def test_others_cannot_submit_a_draft(client, login, twente_item):
    item, _maker, _co = twente_item
    login(make_user())
    assert client.post(f"/library/{item.id}/submit").status_code == 404
    assert status_of(item) == ItemStatus.DRAFT


def test_a_national_item_goes_to_the_association_admins(client, login):
    maker = make_user()
    admin = make_admin()
    twente_admin = make_werkplaats_admin("twente")
    item = make_library_item(maker, status=ItemStatus.DRAFT)
    login(maker)
    client.post(f"/library/{item.id}/submit")
    assert len(notices(admin)) == 1
    assert notices(twente_admin) == []


# Publishing -------------------------------------------------------------------------------------


def test_the_werkplaats_admin_publishes_and_the_makers_hear_of_it(client, login, mailbox,
                                                                  twente_item):
    item, maker, co_author = twente_item
    item.status = ItemStatus.SUBMITTED
    db.session.commit()
    admin = make_werkplaats_admin("twente")
    login(admin)

    page = client.get(f"/library/{item.id}/buurtgesprekken", headers=EN)
    assert "Publish" in page.text and "Send back to draft" in page.text
    response = client.post(f"/library/{item.id}/publish", headers=EN)

    assert response.status_code == 303
    stored = db.session.get(LibraryItem, item.id)
    assert stored.status == ItemStatus.PUBLISHED
    assert stored.published_by_id == admin.id and stored.published_at is not None
    for person in (maker, co_author):
        assert len(notices(person)) == 1
        [mail] = mailbox.to(person.email)
        assert "Buurtgesprekken" in mail["Subject"]
        assert f"/library/{item.id}" in mailbox.text(mail)
    assert notices(admin) == []

    switch(client, login, make_user())
    assert client.get(f"/library/{item.id}/buurtgesprekken").status_code == 200


def test_the_mail_is_in_the_makers_language(client, login, mailbox, twente_item):
    item, maker, co_author = twente_item
    maker.locale = "en"
    item.status = ItemStatus.SUBMITTED
    db.session.commit()
    login(make_werkplaats_admin("twente"))
    client.post(f"/library/{item.id}/publish", headers=EN)
    [mail] = mailbox.to(maker.email)
    assert mail["Subject"] == "Your library item is published: Buurtgesprekken"


@pytest.mark.parametrize("who,expected", [
    ("friesland admin", 404), ("member", 404), ("maker", 403),
])
def test_only_those_who_publish_it_publish(client, login, twente_item, who, expected):
    item, maker, _co = twente_item
    item.status = ItemStatus.SUBMITTED
    db.session.commit()
    people = {"friesland admin": make_werkplaats_admin("friesland"), "member": make_user(),
              "maker": maker}
    login(people[who])
    assert client.post(f"/library/{item.id}/publish").status_code == expected
    assert status_of(item) == ItemStatus.SUBMITTED


def test_the_association_admin_publishes_any_item(client, login, twente_item):
    item, _maker, _co = twente_item
    item.status = ItemStatus.SUBMITTED
    db.session.commit()
    login(make_admin())
    client.post(f"/library/{item.id}/publish")
    assert status_of(item) == ItemStatus.PUBLISHED


def test_a_draft_is_not_published_directly(client, login, twente_item):
    item, _maker, _co = twente_item
    login(make_admin())
    client.post(f"/library/{item.id}/publish")
    assert status_of(item) == ItemStatus.DRAFT


# Sending back and unpublishing ------------------------------------------------------------------


def test_sending_back_needs_a_reason_and_tells_the_makers(client, login, mailbox, twente_item):
    item, maker, _co = twente_item
    item.status = ItemStatus.SUBMITTED
    db.session.commit()
    login(make_werkplaats_admin("twente"))
    url = f"/library/{item.id}/send-back"

    page = client.get(url, headers=EN)
    assert "<h1>Send back to draft</h1>" in page.text
    response = client.post(url, headers=EN, data={"reason": ""})
    assert response.status_code == 422
    assert "Say why, so the makers know what to change." in response.text
    response = client.post(url, headers=EN,
                           data={"reason": "Voeg nog een bron toe, alsjeblieft."})

    assert response.status_code == 303
    assert status_of(item) == ItemStatus.DRAFT
    [notice] = notices(maker)
    assert "Voeg nog een bron toe" in notice
    [mail] = mailbox.to(maker.email)
    assert "Voeg nog een bron toe, alsjeblieft." in mailbox.text(mail)


def test_a_publisher_unpublishes_and_members_no_longer_see_it(client, login, twente_item):
    item, maker, _co = twente_item
    item.status = ItemStatus.PUBLISHED
    db.session.commit()
    login(make_werkplaats_admin("twente"))
    page = client.get(f"/library/{item.id}/buurtgesprekken", headers=EN)
    assert "Unpublish" in page.text
    assert "<h1>Unpublish</h1>" in client.get(f"/library/{item.id}/send-back",
                                              headers=EN).text
    client.post(f"/library/{item.id}/send-back", data={"reason": "Verouderd."})

    assert status_of(item) == ItemStatus.DRAFT
    assert db.session.get(LibraryItem, item.id).published_at is None
    switch(client, login, make_user())
    assert client.get(f"/library/{item.id}/buurtgesprekken").status_code == 404
    switch(client, login, maker)
    assert client.get(f"/library/{item.id}/buurtgesprekken").status_code == 200


def test_makers_cannot_unpublish(client, login, twente_item):
    item, maker, _co = twente_item
    item.status = ItemStatus.PUBLISHED
    db.session.commit()
    login(maker)
    assert client.post(f"/library/{item.id}/send-back",
                       data={"reason": "Weg ermee"}).status_code == 403


# Deleting ---------------------------------------------------------------------------------------


def test_a_maker_deletes_a_draft_after_confirming(client, login, twente_item):
    item, maker, _co = twente_item
    item_id = item.id
    login(maker)
    page = client.get(f"/library/{item_id}/delete", headers=EN)
    assert "<h1>Delete draft</h1>" in page.text
    response = client.post(f"/library/{item_id}/delete", headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/library/mine")
    db.session.expire_all()
    assert db.session.get(LibraryItem, item_id) is None


@pytest.mark.parametrize("status,who,expected", [
    (ItemStatus.PUBLISHED, "maker", 403), (ItemStatus.SUBMITTED, "maker", 403),
    (ItemStatus.DRAFT, "member", 404), (ItemStatus.PUBLISHED, "member", 403),
])
def test_only_drafts_are_deleted_and_only_by_their_makers(client, login, twente_item, status,
                                                          who, expected):
    item, maker, _co = twente_item
    item.status = status
    db.session.commit()
    login(maker if who == "maker" else make_user())
    assert client.post(f"/library/{item.id}/delete").status_code == expected
    assert db.session.get(LibraryItem, item.id) is not None


# Data rights ------------------------------------------------------------------------------------


def test_the_export_holds_the_items_the_user_made_or_wrote(app):
    me = make_user()
    made = make_library_item(me, title="Zelf gemaakt", status=ItemStatus.DRAFT)
    written = make_library_item(make_user(), title="Meegeschreven", authors=[me])
    make_library_item(make_user(), title="Van een ander")

    exported = data_rights.export(me)["library"]["items"]

    assert [entry["title"] for entry in exported] == [made.title, written.title]
    assert exported[0]["created_by_me"] and not exported[1]["created_by_me"]
    assert exported[1]["authors"] == [me.name]


def test_deleting_an_account_deletes_drafts_made_alone_and_keeps_published_items(app):
    me = make_user()
    other = make_user()
    data = minimal_pdf(["Concept"])
    key = storage.store(data)
    alone = make_library_item(me, title="Alleen", status=ItemStatus.DRAFT, document_key=key,
                              document_name="c.pdf", document_type=storage.PDF,
                              authors=[me])
    together = make_library_item(me, title="Samen", status=ItemStatus.DRAFT,
                                 authors=[me, other])
    published = make_library_item(me, title="Gepubliceerd", authors=[me, other])
    ids = (alone.id, together.id, published.id)

    with force_locale("en"):
        lines = [str(line) for line in data_rights.consequences(me)]
    assert "Your library draft is deleted, with its document." in lines
    assert "Your published library item stays in the library, without your name." in lines
    data_rights.delete_account(me)
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(LibraryItem, ids[0]) is None
    assert not (Path(app.config["LIBRARY_UPLOAD_DIR"]) / key).exists()
    kept = db.session.get(LibraryItem, ids[1])
    assert kept is not None and [a.id for a in kept.authors] == [other.id]
    still = db.session.get(LibraryItem, ids[2])
    assert still.status == ItemStatus.PUBLISHED and still.created_by_id is None
    assert [a.id for a in still.authors] == [other.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(library_item_authors)
                             .where(library_item_authors.c.user_id == me.id)) == 0
