"""Browser tests of the pages `catalog serve` renders, in Debian's Chromium through
ChromeDriver (WebDriver), with JavaScript on and off. Run by scripts/browser-tests.sh, which
starts the server and passes its address in CATALOG_URL. A failing test leaves a screenshot
of the page under target/browser-screenshots/. The browser resolves no host but 127.0.0.1,
so no request can leave the machine."""

import atexit
import os
import pathlib
import shutil
import tempfile
import time
import unittest
from urllib.parse import parse_qs, urlparse

from selenium import webdriver
from selenium.common.exceptions import SessionNotCreatedException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["CATALOG_URL"].rstrip("/")
SHOTS = pathlib.Path(os.environ.get("SCREENSHOTS", "target/browser-screenshots"))


def browser(javascript: bool) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,900",
        # Nothing but the server under test: every other host fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    # A profile of its own (two browsers sharing the default one lock each other out), and a
    # second try: on a loaded machine Chromium's first start can exit before ChromeDriver
    # reaches it ("session not created: Chrome instance exited").
    profile = tempfile.mkdtemp(prefix="catalog-chromium-")
    atexit.register(shutil.rmtree, profile, ignore_errors=True)
    options.add_argument(f"--user-data-dir={profile}")
    for attempt in range(3):
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        try:
            return webdriver.Chrome(service=service, options=options)
        except SessionNotCreatedException:
            if attempt == 2:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


class Pages:
    javascript = False

    @classmethod
    def setUpClass(cls):
        cls.driver = browser(cls.javascript)
        cls.wait = WebDriverWait(cls.driver, 10)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def run(self, result=None):
        failures = len(result.failures) + len(result.errors) if result else 0
        outcome = super().run(result)
        if result and len(result.failures) + len(result.errors) > failures:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(SHOTS / f"{self.id()}.png"))
        return outcome

    def query(self):
        return parse_qs(urlparse(self.driver.current_url).query)

    def search(self, text):
        self.driver.get(BASE + "/")
        box = self.driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait.until(lambda d: "q=" in d.current_url)
        self.wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "ol.hits h3 a"))
        )

    def test_search_open_a_result_and_follow_a_related_link(self):
        self.search("too many clients already")
        first = self.driver.find_element(By.CSS_SELECTOR, "ol.hits h3 a")
        self.assertIn("connection-pool-exhausted", first.get_attribute("href"))
        first.click()
        self.wait.until(EC.presence_of_element_located((By.TAG_NAME, "article")))
        self.assertIn("/problems/scalability/connection-pool-exhausted", self.driver.current_url)
        self.assertTrue(self.driver.find_element(By.TAG_NAME, "h1").text)
        related = self.driver.find_element(
            By.XPATH, "//h2[text()='Related problems']/following::a[starts-with(@href, '/problems/')]"
        )
        target = related.get_attribute("href")
        related.click()
        self.wait.until(lambda d: d.current_url == target)
        self.assertTrue(self.driver.find_element(By.TAG_NAME, "h1").text)

    def test_apply_and_remove_a_facet(self):
        self.search("retry")
        total = self.driver.find_element(By.CSS_SELECTOR, "p[role=status]").text
        facet = self.driver.find_element(
            By.XPATH, "//nav[@aria-label='Filters']//h2[text()='category']/following-sibling::ul[1]//a"
        )
        facet.click()
        self.wait.until(lambda d: "category" in self.query())
        selected = self.driver.find_element(By.CSS_SELECTOR, "nav a[aria-current=true]")
        self.assertIn("✓", selected.text)
        filtered = self.driver.find_element(By.CSS_SELECTOR, "p[role=status]").text
        self.assertNotEqual(total, filtered)
        selected.click()
        self.wait.until(lambda d: "category" not in self.query())
        self.assertEqual(self.query()["q"], ["retry"])

    def test_stats_page(self):
        self.driver.get(BASE + "/stats")
        self.assertIn("problems documented", self.driver.find_element(By.TAG_NAME, "main").text)
        charts = self.driver.find_elements(By.CSS_SELECTOR, "svg[role=img]")
        self.assertGreaterEqual(len(charts), 2)


    def test_run_a_triage_and_answer_a_next_check(self):
        self.driver.get(BASE + "/triage")
        self.driver.find_element(By.ID, "text").send_keys(
            "2024-06-11 08:14:59 ERROR HikariPool-1 - Connection is not available, "
            "request timed out after 30004ms."
        )
        self.driver.find_element(By.CSS_SELECTOR, "form.triage > button[type=submit]").click()
        self.wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "ol.candidates h3 a"))
        )
        first = self.driver.find_element(By.CSS_SELECTOR, "ol.candidates h3 a")
        self.assertIn("connection-pool-starvation", first.get_attribute("href"))
        self.assertIn("Matches", self.driver.find_element(By.ID, "candidates").find_element(By.XPATH, "following::ol").text)
        # The pasted log is kept in the form, and a next check answered Yes joins what holds.
        self.assertIn("HikariPool-1", self.driver.find_element(By.ID, "text").get_attribute("value"))
        yes = self.driver.find_element(By.CSS_SELECTOR, ".checks button[name=yes]")
        symptom = yes.get_attribute("value")
        form = self.driver.find_element(By.ID, "observed")
        yes.click()
        # The answer submits the form: wait for the new page before reading it.
        self.wait.until(lambda _: detached(form))
        self.wait.until(
            lambda d: symptom in d.find_element(By.ID, "observed").get_attribute("value")
        )
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "ol.candidates h3 a"))


def detached(element):
    """Whether an element belongs to a page that was replaced. Chromedriver reports a node
    of the old page either as stale or, during the navigation, as "Node with given id does
    not belong to the document" (a plain WebDriverException that `staleness_of` lets out)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


class WithoutJavaScript(Pages, unittest.TestCase):
    javascript = False

    def test_typing_alone_does_not_search(self):
        self.driver.get(BASE + "/")
        self.driver.find_element(By.ID, "q").send_keys("split brain")
        # Well past the script's pause: without JavaScript nothing happens until Enter.
        time.sleep(1)
        self.assertEqual(urlparse(self.driver.current_url).query, "")
        # The page as served: every problem, title order.
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "ol.hits h3 a"))

    def test_triage_offers_no_file_picker_it_cannot_send(self):
        # A plain form posts text, not files: the picker is the script's to add.
        self.driver.get(BASE + "/triage")
        self.assertTrue(self.driver.find_elements(By.ID, "text"))
        self.assertFalse(self.driver.find_elements(By.ID, "log-file"))


class WithJavaScript(Pages, unittest.TestCase):
    javascript = True

    def test_search_as_you_type_keys_and_history(self):
        self.driver.get(BASE + "/")
        body = self.driver.find_element(By.TAG_NAME, "body")
        body.send_keys("/")
        box = self.driver.switch_to.active_element
        self.assertEqual(box.get_attribute("id"), "q")
        box.send_keys("split brain")
        # No Enter: the results come after a pause, and the address follows.
        self.wait.until(lambda d: self.query().get("q") == ["split brain"])
        self.wait.until(
            lambda d: "split-brain" in d.find_element(By.CSS_SELECTOR, "ol.hits h3 a").get_attribute("href")
        )
        box.send_keys(Keys.ARROW_DOWN)
        focused = self.driver.switch_to.active_element
        self.assertIn("split-brain", focused.get_attribute("href"))
        focused.send_keys(Keys.ENTER)
        self.wait.until(lambda d: "/problems/" in d.current_url)

    def test_triage_loads_a_log_file_into_the_form(self):
        log = pathlib.Path(tempfile.mkdtemp(prefix="catalog-log-")) / "app.log"
        atexit.register(shutil.rmtree, log.parent, ignore_errors=True)
        log.write_text(
            "2024-06-11 08:14:58 INFO  GET /orders 200 12ms\n"
            "2024-06-11 08:14:59 ERROR HikariPool-1 - Connection is not available, "
            "request timed out after 30004ms.\n"
        )
        self.driver.get(BASE + "/triage")
        self.driver.find_element(By.ID, "log-file").send_keys(str(log))
        self.wait.until(
            lambda d: "HikariPool-1" in d.find_element(By.ID, "text").get_attribute("value")
        )
        self.driver.find_element(By.CSS_SELECTOR, "form.triage > button[type=submit]").click()
        self.wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "ol.candidates h3 a"))
        )
        first = self.driver.find_element(By.CSS_SELECTOR, "ol.candidates h3 a")
        self.assertIn("connection-pool-starvation", first.get_attribute("href"))

        # A log over 1 MiB: its end, from the first whole line, as the CLI reads one.
        big = log.parent / "big.log"
        request = "2024-06-11 08:14:58 INFO  GET /orders 200 12ms\n"
        big.write_text(request * (1_300_000 // len(request)) + "2024-06-11 08:15:00 ERROR last\n")
        self.driver.get(BASE + "/triage")
        self.driver.find_element(By.ID, "log-file").send_keys(str(big))
        self.wait.until(
            lambda d: d.find_element(By.ID, "text").get_attribute("value").endswith("ERROR last\n")
        )
        value = self.driver.find_element(By.ID, "text").get_attribute("value")
        self.assertLessEqual(len(value), 1 << 20)
        self.assertTrue(value.startswith("2024-06-11 08:14:58 INFO"), value[:80])


if __name__ == "__main__":
    unittest.main(verbosity=2)
