import pytest
from pathlib import Path
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CSS = Path("kttc/static/kttc/site.css").read_text()
def test_preview(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/login/"); page.add_style_tag(content=CSS)
    page.keyboard.press("Tab"); page.screenshot(path="/tmp/pv-login-skipfocus.png", full_page=True)
    page.fill("input[name=username]", personas.transfer_office.email); page.fill("input[name=password]", "correct-horse-battery")
    page.click("main form button[type=submit]"); page.wait_for_url("**/office/"); page.add_style_tag(content=CSS)
    page.screenshot(path="/tmp/pv-office-zh.png", full_page=True)
    page.goto(f"{live_server.url}/office/audit/"); page.add_style_tag(content=CSS)
    page.click("form#verify button"); page.wait_for_url("**/office/audit/"); page.add_style_tag(content=CSS)
    page.screenshot(path="/tmp/pv-audit.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 700}); page.goto(f"{live_server.url}/office/"); page.add_style_tag(content=CSS)
    page.screenshot(path="/tmp/pv-office-mobile.png", full_page=True)
