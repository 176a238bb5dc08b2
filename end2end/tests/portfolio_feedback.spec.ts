import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Noah Papadopoulos (CPC S1) is this journey's learner; his demo portfolio items come from the
// portfolio items seeding. Each project accepts for a different unit, so the two runs do not
// refuse each other's acceptance.
test("an educator comments on a portfolio item and accepts it as evidence; the unit page and the learner see it", async ({ page, browser, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  await signIn(page, demo("educator"));
  await page.goto("/learners?q=Papadopoulos");
  await page.getByRole("link", { name: /Papadopoulos/ }).first().click();
  const learnerId = new URL(page.url()).pathname.split("/")[2];
  expect(Number(learnerId)).toBeGreaterThan(0);

  await page.goto(`/learners/${learnerId}/portfolio`);
  const first = page.locator('main a[href^="/portfolio/"]').first();
  const href = await first.getAttribute("href");
  const itemId = href!.split("/")[2];
  await page.goto(`/portfolio/${itemId}/feedback`);
  const title = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await expect(page.getByRole("heading", { name: "Feedback and evidence" })).toBeVisible();

  // A comment: an empty one is explained beside the field, then it is added.
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.locator("#field-body-error")).toContainText("Write your comment.");
  const words = `Good detail on the bracing — ${info.project.name} ${Date.now()}`;
  await page.locator("#field-body").fill(words);
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByText(words)).toBeVisible();
  if (!javaScriptEnabled) await expect(page.getByRole("status").filter({ hasText: "Comment added" })).toBeVisible();

  // Accept it as evidence for a unit (a different one per project).
  const select = page.locator("#field-target");
  const values = await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v));
  expect(values.length).toBeGreaterThan(1);
  const target = values[javaScriptEnabled ? values.length - 1 : values.length - 2];
  await select.selectOption(target);
  await page.locator("#field-note").fill("Clear photos of the wall frame.");
  await page.getByRole("button", { name: "Accept as evidence" }).click();
  await expect(page.locator(".feedback__acceptance").filter({ hasText: "Clear photos of the wall frame." }).first()).toBeVisible();
  if (!javaScriptEnabled) await expect(page.getByRole("status").filter({ hasText: "Accepted as evidence" })).toBeVisible();

  // The unit's assessment page lists it.
  const [enrolmentId, unitId] = target.split(":");
  await page.goto(`/learners/${learnerId}/enrolments/${enrolmentId}/units/${unitId}`);
  const section = page.locator("section.accepted-evidence");
  await expect(section.getByRole("heading", { name: "Accepted portfolio evidence" })).toBeVisible();
  await expect(section.getByRole("link", { name: title }).first()).toHaveAttribute("href", `/portfolio/${itemId}`);
  await expect(section).toContainText("Clear photos of the wall frame.");

  // Noah sees the comment and the acceptance on his item.
  const noah = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(noah, demo("noah.papadopoulos"));
  await noah.goto(`/portfolio/${itemId}/feedback`);
  await expectHeading(noah, title);
  await expect(noah.getByText(words)).toBeVisible();
  await expect(noah.locator(".feedback__acceptance").filter({ hasText: "Clear photos of the wall frame." }).first()).toContainText("Accepted evidence");
  // The learner comments but does not accept.
  await expect(noah.getByRole("button", { name: "Accept as evidence" })).toHaveCount(0);
  await expect(noah.getByRole("button", { name: "Add comment" })).toBeVisible();
  expect(errors).toEqual([]);
});
