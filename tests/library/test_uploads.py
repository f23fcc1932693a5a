"""Uploaded documents: checked by their bytes, stored under a random key, text extracted from
PDFs, refused when the type or the size is wrong, and served only as a download."""

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from leerkring.demo_library import minimal_pdf
from leerkring.extensions import db
from leerkring.library import storage
from leerkring.library.models import ItemStatus, LibraryItem
from tests.factories import make_library_item, make_user, werkplaats

EN = {"Accept-Language": "en"}


def office_file(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return out.getvalue()


def post_item(client, filename: str, data: bytes, url="/library/new", **fields):
    form = {
        "title": "Met een document",
        "summary": "Een samenvatting.",
        "kind": "report",
        "licence": "CC BY 4.0",
        "document": (io.BytesIO(data), filename),
        **fields,
    }
    return client.post(url, data=form, headers=EN, content_type="multipart/form-data")


def only_item() -> LibraryItem:
    return db.session.scalars(sa.select(LibraryItem)).one()


def count_items() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LibraryItem))


@pytest.fixture
def maker(login):
    user = make_user()
    login(user)
    return user


def test_a_pdf_is_stored_under_a_random_key_with_its_text(app, client, maker):
    data = minimal_pdf(["Eenzame ouderen in de wijk", "Een verslag"])
    response = post_item(client, "../../etc/Mijn verslag.pdf", data)

    assert response.status_code == 303
    item = only_item()
    assert item.document_type == "application/pdf"
    assert item.document_name == "Mijn verslag.pdf"
    assert item.document_size == len(data)
    assert "Eenzame ouderen in de wijk" in item.document_text
    path = Path(app.config["LIBRARY_UPLOAD_DIR"]) / item.document_key
    assert path.read_bytes() == data
    assert "verslag" not in item.document_key and len(item.document_key) == 32


@pytest.mark.parametrize("folder,content_type,extension", [
    ("word", storage.DOCX, ".docx"), ("ppt", storage.PPTX, ".pptx"),
])
def test_word_and_powerpoint_are_known_by_their_parts_not_their_name(client, maker, folder,
                                                                     content_type, extension):
    response = post_item(client, "presentatie.pdf", office_file(folder))
    assert response.status_code == 303
    item = only_item()
    assert item.document_type == content_type
    assert item.document_name == "presentatie" + extension
    assert item.document_text == ""


@pytest.mark.parametrize("filename,data", [
    ("verslag.pdf", b"<html><script>alert(1)</script></html>"),
    ("verslag.docx", b"PK\x03\x04 not really a zip"),
    ("verslag.docx", office_file("xl")),
    ("leeg.pdf", b""),
])
def test_other_files_are_refused_whatever_their_name(client, maker, filename, data):
    response = post_item(client, filename, data)
    assert response.status_code == 422
    assert count_items() == 0
    assert ("Upload a PDF, Word (.docx) or PowerPoint (.pptx) file" in response.text
            or "This file is empty." in response.text)
    assert 'value="Met een document"' in response.text


def test_a_broken_pdf_is_stored_without_text(client, maker):
    response = post_item(client, "kapot.pdf", b"%PDF-1.4\nthis is not a real pdf at all")
    assert response.status_code == 303
    item = only_item()
    assert item.document_type == "application/pdf"
    assert item.document_text == ""


def test_a_good_file_must_be_chosen_again_when_the_form_has_errors(client, maker):
    response = post_item(client, "verslag.pdf", minimal_pdf(["Tekst"]), title="")
    assert response.status_code == 422
    assert "Give the item a title." in response.text
    assert "choose it again" in response.text
    assert count_items() == 0


def test_the_form_says_how_large_a_document_may_be(client, maker):
    assert "at most 20 MB" in client.get("/library/new", headers=EN).text


class TestSizeLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"LIBRARY_MAX_UPLOAD_MB": 0.05}

    def test_a_file_over_the_limit_is_refused_in_the_form(self, client, maker):
        too_large = minimal_pdf(["Groot"]) + b"%" + b"x" * 60_000
        response = post_item(client, "groot.pdf", too_large)
        assert response.status_code == 422
        assert "This file is larger than 0.05 MB. Choose a smaller file." in response.text
        assert count_items() == 0

    def test_a_request_far_over_the_limit_gets_a_clear_page(self, app, client, maker):
        assert app.config["MAX_CONTENT_LENGTH"] == int(0.05 * 1024 * 1024) + storage.FORM_MARGIN
        # A raw body: the test client's own multipart encoder leaves a large one's file open.
        response = client.post("/library/new", headers=EN, data=b"x" * 1_200_000,
                               content_type="multipart/form-data; boundary=b")
        assert response.status_code == 413
        assert "The file is too large" in response.text
        assert "at most 0.05 MB" in response.text
        assert count_items() == 0

    def test_other_forms_still_work(self, client, maker):
        response = client.post("/library/new", headers=EN, data={
            "title": "Zonder document", "summary": "Kort.", "kind": "tool",
            "licence": "CC0", "body": "Tekst " * 2000,
        })
        assert response.status_code == 303


# Changing and removing ------------------------------------------------------------------------


def test_a_new_document_replaces_the_old_file_and_removing_deletes_it(app, client, maker):
    post_item(client, "een.pdf", minimal_pdf(["Een"]))
    item = only_item()
    first = Path(app.config["LIBRARY_UPLOAD_DIR"]) / item.document_key
    edit = f"/library/{item.id}/edit"

    assert "Current document: een.pdf" in client.get(edit, headers=EN).text
    response = post_item(client, "twee.pdf", minimal_pdf(["Twee"]), url=edit)
    assert response.status_code == 303
    db.session.refresh(item)
    assert item.document_name == "twee.pdf" and "Twee" in item.document_text
    assert not first.exists()
    second = Path(app.config["LIBRARY_UPLOAD_DIR"]) / item.document_key

    response = client.post(edit, headers=EN, data={
        "title": "Met een document", "summary": "Kort.", "kind": "report",
        "licence": "CC BY 4.0", "body": "Nu met tekst.", "remove_document": "y"})
    assert response.status_code == 303
    db.session.refresh(item)
    assert item.document_key is None and item.document_text == ""
    assert not second.exists()


def test_deleting_a_draft_deletes_its_file(app, client, maker):
    post_item(client, "een.pdf", minimal_pdf(["Een"]))
    item = only_item()
    path = Path(app.config["LIBRARY_UPLOAD_DIR"]) / item.document_key
    response = client.post(f"/library/{item.id}/delete", headers=EN)
    assert response.status_code == 303
    assert count_items() == 0
    assert not path.exists()


# The download ---------------------------------------------------------------------------------


def item_with_document(app, creator, **kw) -> LibraryItem:
    data = minimal_pdf(["Inhoud"])
    key = storage.store(data)
    return make_library_item(creator, document_key=key, document_name="Het verslag.pdf",
                             document_type=storage.PDF, document_size=len(data), **kw)


def download(client, item):
    response = client.get(f"/library/{item.id}/document")
    response.close()
    return response


def test_the_download_is_an_attachment_that_is_never_run(app, client):
    item = item_with_document(app, make_user(), is_public=True)
    response = client.get(f"/library/{item.id}/document")
    body = response.get_data()
    response.close()

    assert response.status_code == 200
    assert body.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Het%20verslag.pdf" in response.headers["Content-Disposition"] \
        or '"Het verslag.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_item_page_links_the_download(app, client):
    item = item_with_document(app, make_user(), is_public=True, title="Verslag")
    page = client.get(f"/library/{item.id}/verslag", headers=EN)
    assert f'href="/library/{item.id}/document"' in page.text
    assert "Download Het verslag.pdf" in page.text


def test_the_download_follows_the_items_access_rule(app, client, login):
    maker = make_user()
    members_only = item_with_document(app, maker)
    draft = item_with_document(app, maker, status=ItemStatus.DRAFT,
                               werkplaatsen=[werkplaats("twente")])

    response = client.get(f"/library/{members_only.id}/document")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert client.get(f"/library/{draft.id}/document").status_code == 404

    login(make_user())
    assert download(client, members_only).status_code == 200
    assert client.get(f"/library/{draft.id}/document").status_code == 404
    client.post("/account/logout")
    login(maker)
    assert download(client, draft).status_code == 200


def test_an_item_without_a_document_has_no_download(client, login):
    login(make_user())
    item = make_library_item(make_user())
    assert client.get(f"/library/{item.id}/document").status_code == 404
