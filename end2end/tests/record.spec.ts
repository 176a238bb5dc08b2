import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Each project works on its own demo learner, so the two runs do not race each other.
const learnerFor = (js: boolean) => (js ? "Lopez" : "Ibrahim");

test("admin records a pre-training assessment and defers an enrolment; the timeline shows both", async ({ page, javaScriptEnabled }) => {
  const errors = watchErrors(page);
  const family = learnerFor(javaScriptEnabled);
  await signIn(page, demo("admin"));
  await page.goto(`/learners?q=${family}`);
  await page.getByRole("link", { name: new RegExp(family) }).click();
  await expect(page.getByRole("heading", { name: "Education and pre-training assessment" })).toBeVisible();
  const record = page.url();

  await page.getByRole("link", { name: "Record pre-training assessment" }).click();
  await expectHeading(page, "Pre-training assessment");
  await page.locator("#field-assessor").fill("");
  if (javaScriptEnabled) {
    // The browser runs the server's own check as soon as the field is left.
    await page.locator("#field-notes").focus();
    await expect(page.locator("#field-assessor-error")).toContainText("Enter who assessed.");
  }
  await page.getByRole("button", { name: "Save assessment" }).click();
  await expect(page.locator("#field-assessor-error")).toContainText("Enter who assessed.");
  await page.locator("#field-assessed_on").fill("2026-02-03");
  await page.locator("#field-assessor").fill("Grace Okafor");
  await page.locator("#field-language").selectOption({ label: "Level 4" });
  await page.locator("#field-literacy").selectOption({ label: "Level 3" });
  await page.locator("#field-numeracy").selectOption({ label: "Level 2" });
  await page.getByRole("button", { name: "Save assessment" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(page.getByText("3 February 2026 by Grace Okafor")).toBeVisible();

  await page.getByRole("link", { name: "Change status" }).first().click();
  await expectHeading(page, "Change enrolment status");
  await page.locator("#field-status").selectOption({ label: "Deferred" });
  await page.locator("#field-effective_on").fill("2026-06-01");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.locator("#field-reason-error")).toContainText("Give the reason");
  await page.locator("#field-status").selectOption({ label: "Deferred" });
  await page.locator("#field-effective_on").fill("2026-06-01");
  await page.locator("#field-reason").fill("Injury; returning next term.");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByText("Deferred since 1 June 2026")).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText("Enrolment changed").first()).toBeVisible();
  await expect(timeline.getByText("Pre-training assessment changed").first()).toBeVisible();
  await expect(timeline.getByText("Reason: Injury; returning next term.")).toBeVisible();
  expect(errors).toEqual([]);
});

test("needs and accommodations are shown to the learner's educator, never to an auditor", async ({ page }) => {
  // Fraser has an accommodation on record and studies in Grace Okafor's course.
  await signIn(page, demo("educator2"));
  await page.goto("/learners?q=Fraser");
  await page.getByRole("link", { name: /Fraser/ }).click();
  await expect(page.getByRole("heading", { name: "Needs and accommodations" })).toBeVisible();
  await expect(page.getByText("Extra time in written assessments")).toBeVisible();
  const record = page.url();
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, demo("auditor"));
  await page.goto(record);
  await expect(page.getByRole("heading", { name: "Privacy and consent" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Needs and accommodations" })).toHaveCount(0);
  await expect(page.getByText("Extra time in written assessments")).toHaveCount(0);
});

test("staff filter the learner list by course and enrolment status", async ({ page }) => {
  await signIn(page, demo("admin"));
  await page.goto("/learners");
  await page.getByLabel("Enrolment status").selectOption({ label: "Withdrawn" });
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(/status=withdrawn/);
  await expect(page.getByText("1 in all")).toBeVisible();
  await expect(page.getByRole("link", { name: /^Xu, / })).toBeVisible();
  await page.getByLabel("Course", { exact: true }).selectOption({ label: "CPC30220-2026-S2" });
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText("No learners match")).toBeVisible();
});
