"""The whole registration journey as a new user walks it, with a screenshot of every step.

Submitter: brand with a mistake → finding on the field → fix → campaign → send for review. Officer: send the
campaign back; submitter fixes it; officer sees the diff and the findings, acknowledges a warning, approves.
Then a numbers CSV with one bad row and its report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e
PASSWORD = "registry-demo"


class Steps:
    def __init__(self, page: Page, out) -> None:
        self.page, self.out, self.n = page, out, 0

    def shot(self, name: str) -> None:
        self.n += 1
        self.out.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.out / f"{self.n:02d}-{name}.png"), full_page=True)


def login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Demo Platform")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def fill_brand(page: Page, ein: str) -> None:
    values = {"Reference": "lakeside-vet", "Brand name (DBA)": "Lakeside Vet", "Legal company name":
              "Lakeside Veterinary Clinic LLC", "EIN / tax id": ein, "Tax id issuing country": "US",
              "Street address": "200 East Randolph Street", "City": "Chicago", "State": "IL",
              "ZIP / postal code": "60601", "Country": "US", "Support phone": "+13125550177",
              "Support e-mail": "care@lakesidevet.com", "Website": "https://www.lakesidevet.com"}
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Industry (vertical)").select_option("HEALTHCARE")
    page.get_by_label("Relationship with your account").select_option("SMALL_ACCOUNT")
    page.get_by_label("Other business id type").select_option("NONE")


CAMPAIGN = {
    "Campaign description": "Lakeside Vet reminds pet owners of vaccination appointments booked on lakesidevet.com.",
    "Message flow / call to action": "Pet owners opt in when booking at https://www.lakesidevet.com/book by ticking "
        "an unchecked box: 'Text me appointment reminders from Lakeside Vet. Up to 4 msgs/month. Msg & data rates "
        "may apply. Reply HELP for help, STOP to cancel.'",
    "Sample message 1": "Lakeside Vet: [pet name] is due for vaccines on [date]. Reply STOP to opt out.",
    "Opt-out confirmation message": "Lakeside Vet: you will receive no further messages. Reply START to resubscribe.",
    "Help reply": "Lakeside Vet: for help call +1 312 555 0177 or email care@lakesidevet.com. Reply STOP to cancel.",
    "Privacy policy link": "https://www.lakesidevet.com/privacy",
    "Terms and conditions link": "https://www.lakesidevet.com/terms",
    "Reference": "vet-reminders",
}


def test_registration_journey(page: Page, live_server: str, output_path):
    output_path = Path(output_path)
    steps = Steps(page, output_path)
    base = live_server

    # --- submitter: a brand with a mistake, the finding on its field, the fix
    login(page, base, "submitter@demo.example")
    steps.shot("submitter-dashboard")
    page.get_by_role("link", name="Brands").click()
    page.get_by_role("link", name="New brand").click()
    page.get_by_label("Private company").check()
    steps.shot("brand-entity-type")
    page.get_by_role("button", name="Continue").click()
    fill_brand(page, ein="12345")
    page.get_by_role("button", name="Save draft").click()
    ein_box = page.locator("#field-ein")
    expect(ein_box.locator(".finding-error")).to_contain_text("BRAND-EIN-FORMAT")
    steps.shot("brand-finding-on-ein")
    page.get_by_label("EIN / tax id").fill("36-4567890")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#field-ein .finding-error")).to_have_count(0)
    steps.shot("brand-fixed")
    page.get_by_role("link", name="back to the brand").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".flash")).to_contain_text("waiting for a compliance officer")

    # --- submitter: the campaign
    page.get_by_role("link", name="New campaign for Lakeside Vet").click()
    page.get_by_label("Account notifications").check()
    steps.shot("campaign-use-case")
    page.get_by_role("button", name="Continue").click()
    for label, value in CAMPAIGN.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save draft").click()
    steps.shot("campaign-saved")
    page.get_by_role("link", name="vet-reminders").first.click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".flash")).to_contain_text("waiting for a compliance officer")
    logout(page)

    # --- officer: send the campaign back
    login(page, base, "officer@demo.example")
    page.get_by_role("link", name="Reviews").click()
    steps.shot("review-queue")
    page.get_by_role("row", name="vet-reminders").get_by_role("link", name="Review").click()
    page.get_by_label("Comment").fill("Please name the privacy and terms links in the message flow text.")
    page.get_by_role("button", name="Send back with comments").click()
    expect(page.locator(".flash")).to_contain_text("sent back")
    logout(page)

    # --- submitter: fix and resubmit
    login(page, base, "submitter@demo.example")
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="vet-reminders").click()
    expect(page.locator(".notice")).to_contain_text("Please name the privacy and terms links")
    page.get_by_role("link", name="Edit").click()
    flow = page.get_by_label("Message flow / call to action", exact=True)
    flow.fill(CAMPAIGN["Message flow / call to action"].rstrip("'") +
              " Terms: https://www.lakesidevet.com/terms Privacy: https://www.lakesidevet.com/privacy'")
    page.get_by_label("Sample message 1").fill("Lakeside Vet: [pet name] is due for a checkup. Call us to book. "
                                               "Reply STOP to opt out.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="vet-reminders").first.click()
    page.get_by_role("button", name="Send for review").click()
    logout(page)

    # --- officer: diff, findings, acknowledge the warnings, approve
    login(page, base, "officer@demo.example")
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("row", name="vet-reminders").get_by_role("link", name="Review").click()
    diff = page.locator("table.diff")
    expect(diff).to_contain_text("messageFlow")
    expect(diff).to_contain_text("Sent back by officer@demo.example")
    steps.shot("review-diff-and-findings")
    for box in page.locator("textarea[name^='ack-']").all():
        box.fill("Checked the live opt-in page by hand; the wording is complete.")
    page.get_by_role("button", name="Approve and queue for submission").click()
    expect(page.locator(".flash")).to_contain_text("Approved revision 2")
    steps.shot("approved")

    # --- a numbers CSV with one bad row
    page.get_by_role("link", name="Numbers").click()
    csv_path = output_path / "numbers.csv"
    csv_path.write_text("phone,label,campaign\n+13125550150,Desk,demo-marketing\n+1312555,Broken,demo-marketing\n"
                        "+13125550151,Spare,\n")
    page.get_by_label("CSV file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload").click()
    report = page.locator("section.report")
    expect(report).to_contain_text("1 row(s) need fixing")
    expect(report).to_contain_text("not a valid phone number")
    steps.shot("numbers-report")
    assert len(list(output_path.glob("*.png"))) == steps.n
