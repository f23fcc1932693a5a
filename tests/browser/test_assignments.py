"""Fieldwork assignments in the browser: a lecturer creates a cohort linked to a circle, invites a
student by e-mail (she follows the link in the mail and accepts) and sets a reflection assignment
with the Gibbs template; the student finds it on her assignments page, writes a Gibbs reflection
and hands it in; the lecturer opens the grid, clicks into the work and gives feedback
(sufficient); the student reads it. Axe clean on the student's assignments page, the assignment
page, the submission page, the cohort page and the grid, and on the same pages of the demo cohort,
where every status shows."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from leerkring.models import FieldRole
from tests.factories import make_circle, make_user

COHORT = "Praktijkleren SPH jaar 3, blok 2"
TITLE = "Reflecteer met Gibbs op je eerste bijeenkomst"
REFLECTION = "Mijn eerste bijeenkomst in de kring"
FEEDBACK = "Voldoende: je analyse laat goed zien wat jouw stilte met de groep deed."
INVITATION_LINK = re.compile(r"http://127\.0\.0\.1:\d+/cohorts/invitations/\S+")


def log_out(page):
    page.get_by_role("button", name=re.compile("^Log out$")).click()


def invitation_link(mailbox, address: str) -> str:
    """The link in the invitation mail to ``address`` (waiting a moment for it to arrive)."""
    for _attempt in range(50):
        mails = mailbox.to(address)
        if mails:
            break
        time.sleep(0.1)
    [mail] = mailbox.to(address)
    return INVITATION_LINK.search(mailbox.text(mail)).group()


@pytest.mark.browser_context_args(locale="en-GB")
def test_a_cohort_a_gibbs_reflection_handed_in_and_feedback_read(
    page, live_server, mailbox, sign_in, axe
):
    with live_server.app_context():
        make_user(email="lecturer@example.org", name="Hanneke Brouwer",
                  field_role=FieldRole.LECTURER)
        student = make_user(email="student@example.org", name="Lotte de Wit",
                            field_role=FieldRole.STUDENT)
        make_circle(make_user(name="Sanne Kuipers"), members=[student], name="Armoede in de wijk")
    today = datetime.now(UTC).date()

    # The lecturer creates the cohort, linked to the student's circle.
    sign_in(page, "lecturer@example.org")
    page.goto("/cohorts/")
    page.get_by_role("button", name="New cohort").click()
    page.get_by_label("Name").fill(COHORT)
    page.get_by_label("Course").fill("Sociaal Werk (HBO), jaar 3")
    page.get_by_label("Start date").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("End date").fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("Armoede in de wijk").check()
    page.get_by_label("Praktijkbegeleiders of these circles may read").check()
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)
    cohort_url = page.url

    # She invites the student by e-mail.
    page.get_by_role("button", name="Invite students").click()
    page.get_by_label("E-mail addresses").fill("student@example.org")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator("main")).to_contain_text("student@example.org")
    axe(page)
    link = invitation_link(mailbox, "student@example.org")

    # She sets a reflection assignment with the Gibbs template.
    page.goto(cohort_url)
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Instructions").fill(
        "Schrijf een reflectie volgens **Gibbs** over je eerste bijeenkomst in de kring.")
    page.get_by_label("What students hand in").select_option(label="A reflection")
    page.get_by_label("Reflection template").select_option(label="Gibbs")
    page.get_by_label("Open date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Open time").fill("09:00")
    page.get_by_label("Due date").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Due time").fill("17:00")
    page.get_by_role("button", name="Set the assignment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    log_out(page)

    # The student follows the link in the mail and accepts.
    sign_in(page, "student@example.org")
    page.goto(link)
    axe(page)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)
    expect(page.locator("main")).to_contain_text("Lotte de Wit")

    # She finds the assignment on her assignments page.
    page.get_by_role("navigation").get_by_role("link", name="Assignments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My assignments")
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Not started")
    axe(page)
    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    axe(page)
    page.get_by_role("button", name="Hand in").click()
    expect(page).to_have_url(re.compile(r"/assignments/\d+/submission$"))
    expect(page.locator("main")).to_contain_text("You have no such reflection yet.")

    # She writes a Gibbs reflection, and hands it in.
    page.get_by_role("link", name="Write a new reflection").click()
    page.get_by_label("Title").fill(REFLECTION)
    page.get_by_label("Description").fill("Ik was voor het eerst bij de casusbespreking.")
    page.get_by_label("Feelings").fill("Ik was onzeker en stelde geen vraag.")
    page.get_by_label("Evaluation").fill("Ik luisterde goed, maar hield mijn vraag in.")
    page.get_by_label("Analysis").fill("Ik dacht dat mijn vraag te simpel was.")
    page.get_by_label("Conclusion").fill("Een eenvoudige vraag helpt de kring juist.")
    page.get_by_label("Action plan").fill("Volgende keer stel ik in de eerste ronde een vraag.")
    page.get_by_label("Only me").check()
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REFLECTION)

    page.get_by_role("navigation").get_by_role("link", name="Assignments").click()
    page.get_by_role("row", name=re.compile(TITLE)).get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Hand in").click()
    page.get_by_label("Your reflection").select_option(label=REFLECTION)
    axe(page)
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Ik was onzeker en stelde geen vraag.")
    expect(page.locator("#submission-feedback")).to_contain_text("No feedback yet.")
    axe(page)
    log_out(page)

    # The lecturer opens the grid, clicks into the work and gives feedback.
    sign_in(page, "lecturer@example.org")
    page.goto(cohort_url)
    axe(page)
    page.get_by_role("link", name="Progress").click()
    student_row = page.get_by_role("row", name=re.compile("Lotte de Wit"))
    expect(student_row).to_contain_text("Handed in")
    axe(page)
    student_row.get_by_role("link", name="Handed in").click()
    expect(page.locator("main")).to_contain_text("Ik dacht dat mijn vraag te simpel was.")
    axe(page)
    page.get_by_role("textbox", name="Feedback").fill(FEEDBACK)
    page.get_by_role("radio", name="Sufficient", exact=True).check()
    page.get_by_role("button", name="Give feedback").click()
    expect(page.locator("#submission-feedback")).to_contain_text(FEEDBACK)
    log_out(page)

    # The student sees the feedback.
    sign_in(page, "student@example.org")
    page.goto("/assignments/")
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Feedback received")
    axe(page)
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Read the feedback").click()
    feedback = page.locator("#submission-feedback")
    expect(feedback).to_contain_text("Sufficient")
    expect(feedback).to_contain_text(FEEDBACK)
    axe(page)


@pytest.mark.browser_context_args(locale="en-GB")
def test_the_demo_cohort_pages_show_every_status_and_are_axe_clean(
    page, live_server, sign_in, axe
):
    from leerkring import demo

    with live_server.app_context():
        demo.load()

    sign_in(page, "student@example.org", password=demo.PASSWORD)
    page.goto("/assignments/")
    table = page.get_by_role("table")
    for status in ("Feedback received", "Handed in late", "Hand in again", "Draft",
                   "Not started"):
        expect(table).to_contain_text(status)
    axe(page)
    page.get_by_role("link", name="Breng een casus in").click()
    expect(page.locator("#submission-box")).to_contain_text("Hand in again")
    axe(page)
    log_out(page)

    sign_in(page, "lecturer@example.org", password=demo.PASSWORD)
    page.goto("/cohorts/")
    page.get_by_role("link", name=COHORT).click()
    axe(page)
    page.get_by_role("link", name="Progress").click()
    grid = page.get_by_role("table")
    for name in ("Lotte de Wit", "Daan Groen", "Esra Yıldız", "Sem Jacobs"):
        expect(grid.get_by_role("rowheader", name=name)).to_be_visible()
    expect(grid).to_contain_text("Missed")
    axe(page)
