import { test, expect, type Browser, type Page } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// The portfolio item editor. Writes only on Aisha Rahman's portfolio (nobody else's
// journey writes there); every journey makes its own items, with unique titles.
const STUDENT = demo("aisha.rahman");
const unique = (what: string) => `${what} ${Date.now().toString().slice(-7)}${Math.floor(Math.random() * 100)}`;

async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

async function device(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, STUDENT);
  return { context, page };
}

/** Waits past the draft's debounce (300 ms), so what was typed is on the device. */
async function draftKept(page: Page) {
  await page.waitForFunction(() =>
    Object.keys(window.localStorage).some((k) => k.startsWith("trackrecord:draft:")),
  );
}

test("an offline draft survives a reload and is saved once online", async ({ browser, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "drafts live in the browser: JavaScript only");
  const { context, page } = await device(browser);
  const errors = watchErrors(page);
  const title = unique("Offline reflection");
  await page.goto("/portfolio/new?kind=reflection");
  await expectHeading(page, "Add to my portfolio: Self-reflection");
  await hydrated(page);

  await page.locator("#field-title").fill(title);
  await page.locator("#field-body").fill("Today I **learned** to read a floor plan.");
  // The preview renders the Markdown as the server will.
  await expect(page.locator(".markdown-preview strong")).toHaveText("learned");
  await draftKept(page);

  // Offline: the submission is kept on the device, and the page says so.
  await context.setOffline(true);
  await page.getByRole("button", { name: "Add to my portfolio" }).click();
  await expect(page.locator(".draft-status")).toContainText("You are offline: your draft is kept on this device.");
  await expect(page).toHaveURL(/\/portfolio\/new/);

  // Back online: the draft is offered for sending; after a reload it is restored.
  await context.setOffline(false);
  await expect(page.getByRole("button", { name: "Submit now" })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".draft-status")).toContainText("Restored your unsaved draft from");
  await expect(page.locator("#field-title")).toHaveValue(title);
  await expect(page.locator("#field-body")).toHaveValue("Today I **learned** to read a floor plan.");

  await page.getByRole("button", { name: "Add to my portfolio" }).click();
  await page.waitForURL(/\/portfolio\/\d+\?saved=1$/);
  const id = page.url().match(/\/portfolio\/(\d+)/)![1];

  // Saved once; the draft is gone (a new form starts empty, with no notice).
  await page.goto(`/portfolio/${id}/edit`);
  await hydrated(page);
  await expect(page.locator("#field-title")).toHaveValue(title);
  await page.goto("/portfolio/new?kind=reflection");
  await hydrated(page);
  await expect(page.locator("#field-title")).toHaveValue("");
  await expect(page.getByText("Restored your unsaved draft")).toHaveCount(0);
  expect(errors.filter((e) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  await context.close();
});

test("a conflict between two devices is resolved by the student", async ({ browser, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "the side-by-side chooser needs JavaScript");
  const a = await device(browser);
  const b = await device(browser);
  const title = unique("Two devices");

  // Device A adds the item.
  await a.page.goto("/portfolio/new?kind=reflection");
  await hydrated(a.page);
  await a.page.locator("#field-title").fill(title);
  await a.page.locator("#field-body").fill("First thoughts.");
  await a.page.getByRole("button", { name: "Add to my portfolio" }).click();
  await a.page.waitForURL(/\/portfolio\/\d+\?saved=1$/);
  const id = a.page.url().match(/\/portfolio\/(\d+)/)![1];

  // Both devices open the editor; B starts typing, A saves first.
  await b.page.goto(`/portfolio/${id}/edit`);
  await hydrated(b.page);
  await b.page.locator("#field-body").fill("Written on my phone on the bus.");
  await draftKept(b.page);

  await a.page.goto(`/portfolio/${id}/edit`);
  await hydrated(a.page);
  await a.page.locator("#field-body").fill("Written on the library computer.");
  await a.page.getByRole("button", { name: "Save changes" }).click();
  await a.page.waitForURL(new RegExp(`/portfolio/${id}\\?saved=1$`));

  // B's save is refused; both versions are shown, the difference named in words.
  await b.page.getByRole("button", { name: "Save changes" }).click();
  const chooser = b.page.getByRole("region", { name: "This item was changed on another device" });
  await expect(chooser).toBeVisible();
  await expect(chooser).toContainText("changed body");
  const row = chooser.getByRole("row").filter({ hasText: "(differs)" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Written on the library computer.");
  await expect(row).toContainText("Written on my phone on the bus.");
  // Nothing is lost until the student chooses: the form still has B's text.
  await expect(b.page.locator("#field-body")).toHaveValue("Written on my phone on the bus.");

  await chooser.getByRole("button", { name: "Keep mine" }).click();
  await b.page.waitForURL(new RegExp(`/portfolio/${id}\\?saved=1$`));
  await b.page.goto(`/portfolio/${id}/edit`);
  await hydrated(b.page);
  await expect(b.page.locator("#field-body")).toHaveValue("Written on my phone on the bus.");
  await expect(b.page.getByText("Restored your unsaved draft")).toHaveCount(0);
  await a.context.close();
  await b.context.close();
});

test("an item is added through the plain form, with messages beside the fields", async ({ page, javaScriptEnabled }) => {
  test.skip(!!javaScriptEnabled, "the plain form post: no JavaScript");
  const title = unique("Weekend job");
  await signIn(page, STUDENT);
  await page.goto("/portfolio/new");
  await expectHeading(page, "Add to my portfolio");
  await page.getByRole("link", { name: "Work experience" }).click();
  await expectHeading(page, "Add to my portfolio: Work experience");

  // Missing employer and an end before the start: refused, explained beside each field.
  await page.locator("#field-title").fill(title);
  await page.locator("#field-role").fill("Yard hand");
  await page.locator("#field-start_date").fill("2025-11-10");
  await page.locator("#field-end_date").fill("2025-11-01");
  await page.locator("#field-body").fill("Loaded timber orders.");
  await page.getByRole("button", { name: "Add to my portfolio" }).click();
  await expect(page.locator("#field-organisation-error")).toContainText("Enter the employer.");
  await expect(page.locator("#field-end_date-error")).toContainText("The end date is before the start date.");
  await expect(page.getByRole("alert")).toContainText("Please correct the highlighted fields.");

  await page.locator("#field-title").fill(title);
  await page.locator("#field-organisation").fill("Coastal Timber");
  await page.locator("#field-role").fill("Yard hand");
  await page.locator("#field-start_date").fill("2025-11-01");
  await page.locator("#field-end_date").fill("2025-11-30");
  await page.locator("#field-hours").fill("32");
  await page.locator("#field-body").fill("Loaded timber orders.");
  await page.locator("#field-skills").fill("forklift safety, stock control");
  await page.getByRole("button", { name: "Add to my portfolio" }).click();
  await page.waitForURL(/\/portfolio\/\d+\?saved=1$/);
  const id = page.url().match(/\/portfolio\/(\d+)/)![1];

  await page.goto(`/portfolio/${id}/edit`);
  await expect(page.locator("#field-organisation")).toHaveValue("Coastal Timber");
  await expect(page.locator("#field-hours")).toHaveValue("32");
  await expect(page.locator("#field-skills")).toHaveValue("forklift safety, stock control");

  // Removing asks first.
  await page.getByRole("link", { name: "Remove this item from my portfolio…" }).click();
  await expectHeading(page, `Remove “${title}”?`);
  await page.getByRole("button", { name: "Yes, remove it" }).click();
  await page.waitForURL(/\/my\/portfolio\?removed=1$/);
  const gone = await page.goto(`/portfolio/${id}/edit`);
  expect(gone?.status()).toBe(404);
});
