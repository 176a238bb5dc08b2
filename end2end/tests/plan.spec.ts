import { test, expect, type Page } from "@playwright/test";
import { demo, expectHeading, signIn } from "./helpers";

/** Fills every unit row of the plan editor: consecutive months from February 2026. */
async function fillUnitDates(page: Page) {
  const starts = page.locator('input[type="date"][name^="form[start]"]');
  const ends = page.locator('input[type="date"][name^="form[end]"]');
  const n = await starts.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const month = String(2 + (i % 9)).padStart(2, "0");
    await starts.nth(i).fill(`2026-${month}-02`);
    await ends.nth(i).fill(`2026-${month}-27`);
  }
}

test("admin enrols a learner, builds a plan, and the learner and educator sign it", async ({ page, browser, javaScriptEnabled }, info) => {
  // Three people, two plan versions and a dozen page loads: more than the default 30 s on a busy 2-core runner.
  test.setTimeout(60_000);
  const family = `Plan${info.project.name.replace("-", "")}${Date.now()}`;
  const name = `Ruby ${family}`;
  await signIn(page, demo("admin"));

  // Admin creates and enrols a learner.
  await page.goto("/learners/new");
  await page.getByLabel("Given name(s)").fill("Ruby");
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("2005-03-14");
  await page.getByRole("button", { name: "Create learner" }).click();
  await expectHeading(page, name);
  await page.getByRole("link", { name: "Enrol in a course" }).click();
  await page.getByLabel("Course", { exact: true }).selectOption({ label: "CPC30220-2026-S1 — Certificate III in Carpentry — 2026 Semester 1" });
  await page.getByRole("button", { name: "Show its units" }).click();
  await page.getByLabel(/CPCCCA3010/).check();
  await page.getByLabel(/CPCCCA3012/).check();
  await page.getByLabel("Commencement date").fill("2026-02-02");
  await page.getByRole("button", { name: "Enrol" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Enrolled" })).toBeVisible();

  // The record lists the enrolment's plan; none yet.
  const plans = page.getByRole("region", { name: "Learning plans" });
  await expect(plans).toContainText("No plan yet");
  await plans.getByRole("link", { name: /Learning plan — CPC30220-2026-S1/ }).click();
  await expectHeading(page, `Learning plan: ${name}`);
  await expect(page.getByText("No learning plan has been written")).toBeVisible();
  const planUrl = page.url();

  // Bad input is explained beside each field, per unit row too.
  await page.getByRole("link", { name: "Write the plan" }).click();
  await expectHeading(page, "Write the learning plan");
  await fillUnitDates(page);
  await page.getByLabel("Planned end of CPCCCA3010").fill("2026-01-01");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.locator("#field-support_strategies-error")).toContainText("supported");
  await expect(page.locator("#field-review_dates-error")).toContainText("at least one review date");
  await expect(page.locator(".field-error", { hasText: "before the planned start" })).toBeVisible();

  // A good plan is saved as version 1, awaiting signatures.
  await fillUnitDates(page);
  await page.locator("#field-support_strategies").fill("Fortnightly check-in with the trainer.\nExtra time for written tasks.");
  await page.locator("#field-review_dates").fill("2026-05-04\n2026-08-03");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expectHeading(page, `Learning plan: ${name}`);
  await expect(page.getByRole("status").filter({ hasText: "Version 1 saved" })).toBeVisible();
  await expect(page.getByText("Version 1: awaiting signatures from learner, educator")).toBeVisible();
  await expect(page.getByRole("cell", { name: "CPCCCA3010" })).toBeVisible();

  // The learner has no account: the admin makes a one-time signing link for them.
  await page.getByRole("button", { name: "Make a signing link for the learner" }).click();
  const linkBox = page.locator("code.link-box");
  await expect(linkBox).toContainText("/plan-sign?token=");
  const link = (await linkBox.textContent())!.trim();

  const learner = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await learner.goto(link);
  await expectHeading(learner, `Learning plan: ${name}`);
  await expect(learner.getByText("Extra time for written tasks.")).toBeVisible();
  await learner.getByRole("button", { name: "Sign version 1 as learner" }).click();
  await expect(learner.locator("#field-signer_name-error")).toContainText("full name");
  await learner.getByLabel("Your full name", { exact: false }).fill(name);
  await learner.getByRole("button", { name: "Sign version 1 as learner" }).click();
  await expectHeading(learner, "Plan signed");
  // The link works once.
  await learner.goto(link);
  await expectHeading(learner, "Signing link not valid");

  // The course's educator signs with their own account.
  const educator = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(educator, demo("educator"));
  await educator.goto(planUrl);
  await expect(educator.getByRole("cell", { name: name })).toBeVisible();
  await educator.getByRole("button", { name: "Sign version 1 as educator" }).click();
  await expect(educator.getByText("Version 1: signed off")).toBeVisible();
  await expect(educator.getByRole("cell", { name: "Tom Becker" })).toBeVisible();

  // A change makes version 2, which needs new signatures; version 1 stays readable, signed.
  await page.goto(planUrl);
  await page.getByRole("link", { name: "Change the plan (makes version 2)" }).click();
  await page.locator("#field-review_dates").fill("2026-05-04\n2026-08-03\n2026-10-05");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByText("Version 2: awaiting signatures from learner, educator")).toBeVisible();
  await page.getByRole("link", { name: "Version 1", exact: true }).click();
  await expect(page.getByText("an older version kept for the record")).toBeVisible();
  await expect(page.getByText("Version 1: signed off")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Tom Becker" })).toBeVisible();

  // The learner's record shows the plan's status.
  await page.goto(planUrl.replace(/\/plans\/\d+$/, ""));
  await expect(page.getByRole("region", { name: "Learning plans" })).toContainText("Version 2 awaiting signatures: learner, educator; version 1 signed off");
});

test("the auditor reads a demo plan and its older signed version, and cannot change or sign it", async ({ page }) => {
  await signIn(page, demo("auditor"));
  await page.goto("/learners?q=Nguyen");
  await page.getByRole("link", { name: /Nguyen, Mia/ }).click();
  const plans = page.getByRole("region", { name: "Learning plans" });
  await expect(plans).toContainText("Version 2 awaiting signatures");
  await plans.getByRole("link", { name: /Learning plan/ }).first().click();
  await expect(page.getByText("Version 2: awaiting signatures from learner, educator")).toBeVisible();
  await expect(page.getByRole("link", { name: /Change the plan/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Sign version/ })).toHaveCount(0);
  await page.getByRole("link", { name: "Version 1", exact: true }).click();
  await expect(page.getByText("Version 1: signed off")).toBeVisible();
});
