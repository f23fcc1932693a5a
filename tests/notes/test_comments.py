"""Comments on a case: flat with replies one level deep, htmx in place, through the privacy guard,
visible to whom the case is visible."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from leerkring.circles import services as circle_services
from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.notes.models import CaseComment, CaseStatus, PrivacyConfirmation
from tests.factories import (
    add_member,
    make_admin,
    make_case,
    make_circle,
    make_comment,
    make_user,
    make_werkplaats_admin,
)

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", "Accept-Language": "en"}
BSN = "123456782"


@pytest.fixture
def login(client, login):
    """Signs out whoever is signed in first, so a test can switch users."""

    def sign_in(user):
        client.post("/account/logout")
        return login(user)

    return sign_in


@pytest.fixture
def people(app):
    author = make_user(name="Anna Inbrenger")
    member = make_user(name="Mo Lid")
    coordinator = make_user(name="Carla Coördinator")
    former = make_user(name="Fenna Vertrokken")
    circle = make_circle(coordinator=coordinator, members=[author, member, former])
    outsider = make_user(name="Otto Buiten")
    make_circle(members=[outsider])
    circle_services.leave(membership_of(former, circle))
    db.session.commit()
    case = make_case(circle, author, title="Een bewoner die de deur niet opendoet")
    return dict(author=author, member=member, coordinator=coordinator, former=former,
                outsider=outsider, circle=circle, case=case)


def stored(case=None):
    query = db.select(CaseComment).order_by(CaseComment.id)
    if case is not None:
        query = query.where(CaseComment.case_id == case.id)
    return list(db.session.execute(query).scalars())


def confirmations():
    return list(db.session.execute(db.select(PrivacyConfirmation)).scalars())


def url(case):
    return f"/notes/{case.id}/comments"


# Showing -------------------------------------------------------------------------------------


class TestTheSection:
    def test_the_page_shows_threads_oldest_first_with_their_replies(self, client, login, people):
        case, member = people["case"], people["member"]
        first = make_comment(case, member, body="Eerste **reactie**.")
        make_comment(case, people["author"], body="Een antwoord.", parent_id=first.id)
        make_comment(case, people["coordinator"], body="Tweede reactie.")
        login(member)
        response = client.get(url(case), headers=EN)
        page = response.text
        assert "<html" in page and 'id="comments"' in page
        assert response.headers["Cache-Control"] == "no-store"
        assert "<title>Comments · Een bewoner die de deur niet opendoet · Leerkring</title>" in page
        assert page.index("Eerste") < page.index("Een antwoord.") < page.index("Tweede reactie.")
        assert "Eerste <strong>reactie</strong>." in page
        assert "Mo Lid" in page and "Anna Inbrenger" in page and "Carla Coördinator" in page
        assert "case author" in page
        thread = page[page.index('class="comment-threads"'):]
        replies = thread[thread.index('class="comment-replies"'):thread.index("Tweede reactie.")]
        assert "Een antwoord." in replies

    def test_the_fragment_is_the_section_alone(self, client, login, people):
        make_comment(people["case"], people["member"], body="Herkenbaar.")
        login(people["member"])
        response = client.get(url(people["case"]), headers=HTMX)
        assert "<html" not in response.text
        assert response.text.lstrip().startswith('<section id="comments"')
        assert "Herkenbaar." in response.text
        assert response.headers["Cache-Control"] == "no-store"

    def test_time_edited_mark_and_a_former_member(self, client, login, people):
        case = people["case"]
        moment = datetime(2025, 3, 4, 13, 5, tzinfo=UTC)
        make_comment(case, None, body="Van iemand die wegging.", created_at=moment)
        make_comment(case, people["member"], body="Aangepast.", edited_at=moment)
        login(people["member"])
        page = client.get(url(case), headers=EN).text
        assert "a former member" in page
        assert 'datetime="2025-03-04T13:05:00+00:00"' in page
        assert "2:05" in page  # 14:05 in Amsterdam, written the English way
        assert "(edited)" in page

    def test_own_comments_can_be_edited_and_deleted_others_only_replied_to(
            self, client, login, people):
        case = people["case"]
        mine = make_comment(case, people["member"], body="Van mij.")
        theirs = make_comment(case, people["coordinator"], body="Van een ander.")
        login(people["member"])
        page = client.get(url(case), headers=EN).text
        assert f"/notes/comments/{mine.id}/edit" in page
        assert f"/notes/comments/{mine.id}/delete" in page
        assert f"/notes/comments/{theirs.id}/edit" not in page
        assert f"/notes/comments/{theirs.id}/delete" not in page
        assert f"/notes/comments/{theirs.id}/reply" in page
        assert "Add a comment" in page

    def test_a_closed_case_shows_its_comments_but_takes_no_new_ones(self, client, login, people):
        case = make_case(people["circle"], people["author"], status=CaseStatus.CLOSED)
        mine = make_comment(case, people["member"], body="Oude reactie.")
        login(people["member"])
        page = client.get(url(case), headers=EN).text
        assert "Oude reactie." in page and "This case is closed" in page
        assert "Add a comment" not in page
        assert f"/notes/comments/{mine.id}/edit" not in page
        response = client.post(url(case), data={"comment-body": "Nog iets."}, headers=EN)
        assert response.status_code == 403
        assert client.get(f"/notes/comments/{mine.id}/edit").status_code == 403
        assert client.get(f"/notes/comments/{mine.id}/reply").status_code == 403
        assert client.post(f"/notes/comments/{mine.id}/delete").status_code == 403
        assert len(stored(case)) == 1

    def test_the_case_author_sees_comments_on_a_draft_are_not_open_yet(
            self, client, login, people):
        draft = make_case(people["circle"], people["author"], status=CaseStatus.DRAFT)
        login(people["author"])
        page = client.get(url(draft), headers=EN).text
        assert "The circle can comment once you share the case." in page
        assert client.post(url(draft), data={"comment-body": "x"}).status_code == 403

    def test_the_case_page_shows_the_section(self, client, login, people):
        make_comment(people["case"], people["member"], body="Op de casuspagina.")
        login(people["member"])
        page = client.get(f"/notes/{people['case'].id}", headers=EN).text
        assert 'id="comments"' in page and "Op de casuspagina." in page

    def test_both_languages(self, client, login, people):
        make_comment(people["case"], None, body="Herkenbaar.")
        login(people["member"])
        english = client.get(url(people["case"]), headers=EN).text
        assert '<html lang="en">' in english
        assert ">Comments</h2>" in english and "a former member" in english
        assert "Add a comment" in english
        dutch = client.get(url(people["case"]), headers={"Accept-Language": "nl"}).text
        assert '<html lang="nl">' in dutch
        assert ">Reacties</h2>" in dutch and "een voormalige deelnemer" in dutch
        assert "Reactie toevoegen" in dutch


class TestPaging:
    def test_top_level_comments_are_paged_with_all_their_replies(
            self, client, login, people, app):
        case = people["case"]
        per_page = app.config["PER_PAGE"]
        start = datetime(2025, 1, 1, tzinfo=UTC)
        tops = [make_comment(case, people["member"], body=f"Draad {n:02d}.",
                             created_at=start + timedelta(hours=n)) for n in range(per_page + 2)]
        make_comment(case, people["author"], body="Antwoord op de eerste.", parent_id=tops[0].id)
        make_comment(case, people["author"], body="Antwoord op de laatste.",
                     parent_id=tops[-1].id)
        login(people["member"])
        first = client.get(url(case), headers=EN).text
        assert "Draad 00." in first and f"Draad {per_page - 1:02d}." in first
        assert f"Draad {per_page:02d}." not in first
        assert "Antwoord op de eerste." in first and "Antwoord op de laatste." not in first
        assert "Page 1 of 2" in first
        second = client.get(f"{url(case)}?page=2", headers=HTMX).text
        assert "Draad 00." not in second and f"Draad {per_page + 1:02d}." in second
        assert "Antwoord op de laatste." in second
        assert 'hx-target="#comments"' in second

    def test_a_fixed_number_of_queries_whatever_the_number_of_comments(
            self, client, login, people, count_queries, app):
        case = people["case"]
        first = make_comment(case, people["member"], body="Een.")
        make_comment(case, people["author"], body="Antwoord.", parent_id=first.id)
        login(people["member"])
        with count_queries() as few:
            assert "Een." in client.get(url(case)).text
        writers = [make_user(name=f"Schrijver {n}") for n in range(6)]
        for writer in writers:
            add_member(people["circle"], writer)
        for n in range(app.config["PER_PAGE"] + 5):
            top = make_comment(case, writers[n % 6], body=f"Reactie {n}.")
            for m in range(3):
                make_comment(case, writers[(n + m) % 6], body=f"Antwoord {n}.{m}",
                             parent_id=top.id)
        make_comment(case, None, body="Van een oud-lid.")
        with count_queries() as many:
            page = client.get(url(case)).text
        assert "Antwoord 3.2" in page
        assert few.count == many.count <= 12
        with count_queries() as fragment:
            client.get(url(case), headers=HTMX)
        assert fragment.count == many.count


# Posting -------------------------------------------------------------------------------------


class TestPosting:
    def test_a_member_posts_a_comment(self, client, login, people):
        case = people["case"]
        before = case.last_activity_at
        login(people["member"])
        response = client.post(url(case), data={"comment-body": "  Wat zegt haar dochter?  "},
                               headers=EN)
        assert response.status_code == 303
        [comment] = stored(case)
        assert (comment.body, comment.author_id, comment.parent_id) == (
            "Wat zegt haar dochter?", people["member"].id, None)
        assert response.location.endswith(f"/notes/{case.id}/comments?page=1#comment-{comment.id}")
        page = client.get(response.location, headers=EN).text
        assert "Your comment is posted." in page and "Wat zegt haar dochter?" in page
        db.session.refresh(case)
        assert case.last_activity_at > before
        assert confirmations() == []

    def test_posting_with_htmx_returns_the_updated_section_and_the_flash(
            self, client, login, people):
        case = people["case"]
        login(people["member"])
        response = client.post(url(case), data={"comment-body": "Via htmx."}, headers=HTMX)
        assert response.status_code == 200
        assert response.headers["HX-Retarget"] == "#comments"
        assert response.headers["HX-Reswap"] == "outerHTML"
        assert "<html" not in response.text
        assert '<section id="comments"' in response.text and "Via htmx." in response.text
        assert 'hx-swap-oob="true"' in response.text and "Your comment is posted." in response.text
        flashes = response.text[response.text.index('id="flashes"'):]
        assert "Via htmx." not in flashes
        assert [c.body for c in stored(case)] == ["Via htmx."]

    def test_the_new_section_shows_the_page_with_the_new_comment(
            self, client, login, people, app):
        case = people["case"]
        for n in range(app.config["PER_PAGE"]):
            make_comment(case, people["author"], body=f"Oud {n}.")
        login(people["member"])
        response = client.post(url(case), data={"comment-body": "Nieuw."}, headers=HTMX)
        assert "Nieuw." in response.text and "Page 2 of 2" in response.text
        plain = client.post(url(case), data={"comment-body": "Nog een."})
        assert "page=2" in plain.location

    def test_a_reply(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Vraag aan de kring.")
        login(people["member"])
        response = client.post(url(case), headers=EN, data={
            "parent_id": str(top.id), f"reply-{top.id}-body": "Mijn antwoord."})
        assert response.status_code == 303
        reply = stored(case)[-1]
        assert (reply.parent_id, reply.body) == (top.id, "Mijn antwoord.")
        assert response.location.endswith(f"#comment-{reply.id}")
        assert "Your reply is posted." in client.get(response.location, headers=EN).text

    def test_a_reply_with_htmx(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Vraag aan de kring.")
        login(people["member"])
        response = client.post(url(case), headers=HTMX, data={
            "parent_id": str(top.id), f"reply-{top.id}-body": "Antwoord in htmx."})
        assert response.headers["HX-Retarget"] == "#comments"
        section = response.text
        replies = section[section.index('class="comment-replies"'):]
        assert "Antwoord in htmx." in replies
        assert "Your reply is posted." in section

    def test_a_reply_to_a_reply_joins_the_thread(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Vraag.")
        reply = make_comment(case, people["coordinator"], body="Antwoord.", parent_id=top.id)
        login(people["member"])
        client.post(url(case), data={"parent_id": str(reply.id),
                                     f"reply-{reply.id}-body": "Daarop verder."})
        assert stored(case)[-1].parent_id == top.id

    def test_a_parent_of_another_case_is_refused(self, client, login, people):
        other_case = make_case(people["circle"], people["author"])
        elsewhere = make_comment(other_case, people["author"], body="Elders.")
        login(people["member"])
        response = client.post(url(people["case"]), headers=EN, data={
            "parent_id": str(elsewhere.id), f"reply-{elsewhere.id}-body": "Verkeerd."})
        assert response.status_code == 400
        assert "You can only reply to a comment on the same case." in response.text
        assert "Verkeerd." not in response.text
        assert client.post(url(people["case"]), data={
            "parent_id": "999999", "reply-999999-body": "Weg."}).status_code == 404
        assert client.post(url(people["case"]), data={
            "parent_id": "x", "comment-body": "Weg."}).status_code == 404
        assert stored(people["case"]) == []

    def test_the_reply_form_opens_in_place_or_on_its_own_page(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Vraag aan de kring.")
        reply = make_comment(case, people["coordinator"], body="Antwoord.", parent_id=top.id)
        login(people["member"])
        fragment = client.get(f"/notes/comments/{top.id}/reply", headers=HTMX).text
        assert "<html" not in fragment
        assert fragment.lstrip().startswith(f'<div id="reply-{top.id}"')
        assert f'name="reply-{top.id}-body"' in fragment
        assert f'name="parent_id" value="{top.id}"' in fragment
        assert f'id="reply-{top.id}-body-findings"' in fragment
        page = client.get(f"/notes/comments/{reply.id}/reply", headers=EN).text
        assert "<html" in page and "Vraag aan de kring." in page
        assert f'name="parent_id" value="{top.id}"' in page
        assert "<title>Reply · Een bewoner die de deur niet opendoet · Leerkring</title>" in page


class TestFormErrors:
    def test_an_empty_comment_is_refused_next_to_the_field(self, client, login, people):
        login(people["member"])
        response = client.post(url(people["case"]), data={"comment-body": "   "}, headers=EN)
        assert response.status_code == 422
        assert "<html" in response.text
        assert 'id="comment-body-error"' in response.text and "Write your comment." in response.text
        assert stored() == []

    def test_errors_in_htmx_come_back_in_the_form_with_the_input_kept(
            self, client, login, people):
        long = "a" * 5001
        login(people["member"])
        response = client.post(url(people["case"]), data={"comment-body": long}, headers=HTMX)
        assert response.status_code == 422
        assert "<html" not in response.text
        assert response.text.lstrip().startswith('<div id="comment-form"')
        assert "Keep it under 5000 characters." in response.text
        assert long in response.text
        assert stored() == []

    def test_a_reply_error_keeps_the_reply_form_and_its_input(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Vraag.")
        login(people["member"])
        data = {"parent_id": str(top.id), f"reply-{top.id}-body": "Bel 06-12345678."}
        response = client.post(url(case), data=data, headers=HTMX)
        assert response.status_code == 422
        assert response.text.lstrip().startswith(f'<div id="reply-{top.id}"')
        assert "Bel 06-12345678." in response.text
        assert f'id="reply-{top.id}-pseudonymised-error"' in response.text
        plain = client.post(url(case), data=data, headers=EN)
        assert plain.status_code == 422 and "<html" in plain.text
        assert "Bel 06-12345678." in plain.text
        assert len(stored(case)) == 1


class TestPrivacyGuard:
    @pytest.mark.parametrize("headers", [EN, HTMX])
    def test_a_bsn_is_refused_with_where_it_is_and_nothing_is_stored(
            self, client, login, people, headers):
        login(people["member"])
        response = client.post(url(people["case"]), headers=headers, data={
            "comment-body": f"Haar nummer is {BSN}.", "comment-pseudonymised": "y"})
        assert response.status_code == 422
        assert "Line 1, position 16" in response.text
        assert "citizen service number (BSN)" in response.text
        assert f"<mark>{BSN}</mark>" in response.text
        assert stored() == [] and confirmations() == []

    def test_a_bsn_in_a_reply_or_an_edit_is_refused_too(self, client, login, people):
        case = people["case"]
        mine = make_comment(case, people["member"], body="Eerst.")
        login(people["member"])
        reply = client.post(url(case), headers=HTMX, data={
            "parent_id": str(mine.id), f"reply-{mine.id}-body": f"bsn {BSN}"})
        assert reply.status_code == 422 and "citizen service number" in reply.text
        edit = client.post(f"/notes/comments/{mine.id}/edit", headers=HTMX,
                           data={f"edit-{mine.id}-body": f"bsn {BSN}"})
        assert edit.status_code == 422 and "citizen service number" in edit.text
        db.session.refresh(mine)
        assert [c.body for c in stored(case)] == ["Eerst."]

    def test_other_findings_need_the_box_and_the_confirmation_is_recorded_with_kinds(
            self, client, login, people):
        case = people["case"]
        login(people["member"])
        body = "Mevr. Jansen belde vanaf 06-12345678."
        refused = client.post(url(case), data={"comment-body": body}, headers=HTMX)
        assert refused.status_code == 422
        assert "phone number" in refused.text and "<mark>06-12345678</mark>" in refused.text
        assert 'name="comment-pseudonymised"' in refused.text
        assert stored() == []
        response = client.post(url(case), headers=HTMX,
                               data={"comment-body": body, "comment-pseudonymised": "y"})
        assert response.status_code == 200
        [comment] = stored(case)
        [confirmation] = confirmations()
        assert (confirmation.user_id, confirmation.subject_type, confirmation.subject_id) == (
            people["member"].id, "comment", comment.id)
        assert confirmation.kinds == "phone,name"

    def test_a_clean_comment_shows_no_box(self, client, login, people):
        login(people["member"])
        page = client.get(url(people["case"]), headers=EN).text
        assert 'name="comment-body"' in page and 'hx-post="/privacy/check"' in page
        assert "pseudonymised" not in page


# Editing and deleting ------------------------------------------------------------------------


class TestEditing:
    def test_the_author_edits_in_place(self, client, login, people):
        case = people["case"]
        mine = make_comment(case, people["member"], body="Eerste versie.")
        login(people["member"])
        form = client.get(f"/notes/comments/{mine.id}/edit", headers=HTMX).text
        assert "<html" not in form
        assert form.lstrip().startswith(f'<div id="comment-{mine.id}"')
        assert "Eerste versie." in form
        response = client.post(f"/notes/comments/{mine.id}/edit", headers=HTMX,
                               data={f"edit-{mine.id}-body": "Tweede versie."})
        assert response.status_code == 200
        assert response.text.lstrip().startswith(f'<article id="comment-{mine.id}"')
        assert "Tweede versie." in response.text and "(edited)" in response.text
        assert "Your comment is saved." in response.text
        assert 'hx-swap-oob="true"' in response.text
        db.session.refresh(mine)
        assert mine.body == "Tweede versie." and mine.edited_at is not None

    def test_the_edit_page_without_javascript(self, client, login, people):
        mine = make_comment(people["case"], people["member"], body="Eerste versie.")
        login(people["member"])
        page = client.get(f"/notes/comments/{mine.id}/edit", headers=EN).text
        assert "<html" in page and "Edit your comment" in page
        assert "Eerste versie." not in page[:page.index("</title>")]
        empty = client.post(f"/notes/comments/{mine.id}/edit", headers=EN,
                            data={f"edit-{mine.id}-body": ""})
        assert empty.status_code == 422 and "Write your comment." in empty.text
        response = client.post(f"/notes/comments/{mine.id}/edit", headers=EN,
                               data={f"edit-{mine.id}-body": "Beter."})
        assert response.status_code == 303
        assert response.location.endswith(f"#comment-{mine.id}")
        assert "Your comment is saved." in client.get(response.location, headers=EN).text

    def test_someone_else_cannot_edit_or_delete(self, client, login, people):
        theirs = make_comment(people["case"], people["coordinator"], body="Van de coördinator.")
        login(people["member"])
        assert client.get(f"/notes/comments/{theirs.id}/edit").status_code == 403
        assert client.post(f"/notes/comments/{theirs.id}/edit",
                           data={f"edit-{theirs.id}-body": "Overschreven."}).status_code == 403
        assert client.post(f"/notes/comments/{theirs.id}/delete").status_code == 403
        db.session.refresh(theirs)
        assert theirs.body == "Van de coördinator."

    def test_an_edit_that_needs_the_box_is_recorded(self, client, login, people):
        mine = make_comment(people["case"], people["member"], body="Eerst.")
        login(people["member"])
        client.post(f"/notes/comments/{mine.id}/edit", data={
            f"edit-{mine.id}-body": "Mail haar: a@example.nl",
            f"edit-{mine.id}-pseudonymised": "y",
        })
        [confirmation] = confirmations()
        assert (confirmation.subject_type, confirmation.subject_id, confirmation.kinds) == (
            "comment", mine.id, "email")


class TestDeleting:
    def test_deleting_a_top_comment_deletes_its_replies_and_says_so(
            self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["member"], body="Boven.")
        make_comment(case, people["author"], body="Eronder.", parent_id=top.id)
        make_comment(case, people["coordinator"], body="Ook eronder.", parent_id=top.id)
        other = make_comment(case, people["author"], body="Blijft staan.")
        for subject in (top.id, other.id):
            db.session.add(PrivacyConfirmation(user_id=people["member"].id,
                                               subject_type="comment", subject_id=subject))
        db.session.commit()
        login(people["member"])
        page = client.get(url(case), headers=EN).text
        assert "Delete this comment and the 2 replies to it? This cannot be undone." in page
        response = client.post(f"/notes/comments/{top.id}/delete", headers=HTMX)
        assert response.headers["HX-Retarget"] == "#comments"
        assert "The comment and 2 replies to it are deleted." in response.text
        assert "Boven." not in response.text and "Blijft staan." in response.text
        assert [c.id for c in stored(case)] == [other.id]
        assert [c.subject_id for c in confirmations()] == [other.id]

    def test_deleting_a_reply_without_javascript(self, client, login, people):
        case = people["case"]
        top = make_comment(case, people["author"], body="Boven.")
        reply = make_comment(case, people["member"], body="Eronder.", parent_id=top.id)
        login(people["member"])
        assert "Delete this reply?" in client.get(url(case), headers=EN).text
        response = client.post(f"/notes/comments/{reply.id}/delete", headers=EN)
        assert response.status_code == 303
        assert "The comment is deleted." in client.get(response.location, headers=EN).text
        assert [c.id for c in stored(case)] == [top.id]

    def test_deleting_the_last_comment_of_a_page_shows_the_page_before(
            self, client, login, people, app):
        case = people["case"]
        for n in range(app.config["PER_PAGE"]):
            make_comment(case, people["author"], body=f"Oud {n}.")
        mine = make_comment(case, people["member"], body="Alleen op pagina 2.")
        login(people["member"])
        response = client.post(f"/notes/comments/{mine.id}/delete", headers=HTMX)
        assert "Oud 0." in response.text and "Page 2 of" not in response.text


# Access --------------------------------------------------------------------------------------


class TestAccess:
    def test_anonymous_visitors_go_to_the_login_page(self, client, people):
        comment = make_comment(people["case"], people["member"])
        for method, path in [("GET", url(people["case"])), ("POST", url(people["case"])),
                             ("GET", f"/notes/comments/{comment.id}/reply"),
                             ("GET", f"/notes/comments/{comment.id}/edit"),
                             ("POST", f"/notes/comments/{comment.id}/delete")]:
            response = client.open(path, method=method)
            assert response.status_code == 302 and "/account/login" in response.location

    @pytest.mark.parametrize("who", ["outsider", "former", "admin", "werkplaats_admin"])
    def test_whoever_may_not_see_the_case_gets_404_everywhere(self, client, login, people, who):
        case = people["case"]
        comment = make_comment(case, people["member"], body="Binnen de kring.")
        user = {"admin": make_admin, "werkplaats_admin": make_werkplaats_admin}.get(
            who, lambda: people[who])()
        login(user)
        responses = [
            client.get(url(case)),
            client.get(url(case), headers=HTMX),
            client.post(url(case), data={"comment-body": "Ik ook."}),
            client.post(url(case), data={"parent_id": str(comment.id),
                                         f"reply-{comment.id}-body": "Ik ook."}),
            client.get(f"/notes/comments/{comment.id}/reply"),
            client.get(f"/notes/comments/{comment.id}/edit"),
            client.post(f"/notes/comments/{comment.id}/delete"),
        ]
        for response in responses:
            assert response.status_code == 404
            assert "Binnen de kring." not in response.text
            assert case.title not in response.text
        assert [c.body for c in stored(case)] == ["Binnen de kring."]

    def test_a_former_member_cannot_edit_their_own_comment(self, client, login, people):
        case = people["case"]
        theirs = make_comment(case, people["former"], body="Van voor het vertrek.")
        login(people["former"])
        assert client.get(f"/notes/comments/{theirs.id}/edit").status_code == 404
        assert client.post(f"/notes/comments/{theirs.id}/delete").status_code == 404

    def test_comments_on_a_draft_are_hidden_from_others(self, client, login, people):
        draft = make_case(people["circle"], people["author"], status=CaseStatus.DRAFT)
        comment = make_comment(draft, people["author"], body="Notitie bij een concept.")
        login(people["member"])
        assert client.get(url(draft)).status_code == 404
        assert client.get(f"/notes/comments/{comment.id}/edit").status_code == 404
        assert client.get(f"/notes/comments/{comment.id}/reply").status_code == 404
        login(people["author"])
        assert "Notitie bij een concept." in client.get(url(draft)).text

    def test_the_coordinator_reads_and_comments_but_edits_only_their_own(
            self, client, login, people):
        case = people["case"]
        theirs = make_comment(case, people["member"], body="Van een lid.")
        login(people["coordinator"])
        assert "Van een lid." in client.get(url(case)).text
        assert client.post(url(case), data={"comment-body": "Dank."}).status_code == 303
        assert client.get(f"/notes/comments/{theirs.id}/edit").status_code == 403

    def test_an_archived_circle_takes_no_comments(self, client, login, people):
        people["circle"].archived_at = datetime.now(UTC)
        db.session.commit()
        login(people["member"])
        page = client.get(url(people["case"]), headers=EN).text
        assert "The circle is archived" in page
        assert client.post(url(people["case"]), data={"comment-body": "x"}).status_code == 403


def test_no_comment_text_in_the_log(client, login, people, caplog):
    login(people["member"])
    client.post(url(people["case"]), data={"comment-body": "Geheim verhaal."})
    client.post(url(people["case"]), data={"comment-body": f"bsn {BSN}"})
    assert not re.search("Geheim verhaal|" + BSN, caplog.text)
