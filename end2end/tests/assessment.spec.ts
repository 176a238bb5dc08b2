import { test, expect, type Page } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// CPC30220-2026-S1 (course 1) is taught by Tom Becker with Sam Lee as second assessor.
// Each project assesses its own generated learner, so the two runs do not meet.
const learnerFor = (js: boolean) => (js ? "Novak" : "Zhang");

// A real 1×1 PNG: the photo of the work.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

async function openUndecidedUnit(page: Page, family: string): Promise<string> {
  await page.goto(`/learners?q=${family}`);
  await page.getByRole("link", { name: new RegExp(family) }).first().click();
  await expect(page.getByRole("heading", { level: 2, name: "Assessment", exact: true })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Not yet decided" }).first();
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: "Unit outcome" })).toBeVisible();
  return page.url();
}

test("two assessors judge one attempt side by side and the unit is decided on both", async ({ browser, javaScriptEnabled }, info) => {
  const tom = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const errors = watchErrors(tom);
  await signIn(tom, demo("educator"));
  const unitUrl = await openUndecidedUnit(tom, learnerFor(javaScriptEnabled));
  const unitName = (await tom.getByRole("heading", { level: 1 }).textContent())!.trim();

  // Tom adds a practical observation task for this unit to the course.
  const title = `Observation ${info.project.name} ${Date.now()}`;
  await tom.goto("/courses/1/assessments");
  await expectHeading(tom, /Assessment tasks/);
  await tom.locator("#field-unit_id").selectOption({ label: unitName });
  await tom.locator("#field-kind").selectOption("observation");
  await tom.locator("#field-title").fill(title);
  await tom.locator("#field-instructions").fill("Set out and frame a wall on site.");
  await tom.getByRole("button", { name: "Add task" }).click();
  await expect(tom.getByRole("status").filter({ hasText: "Task added" })).toBeVisible();

  // Tom records the first attempt: a mistake first (Not Yet Competent needs feedback).
  await tom.goto(unitUrl);
  await tom.getByRole("link", { name: `Record a judgement for ${title}` }).click();
  await expectHeading(tom, "Record a judgement");
  await tom.locator("#field-outcome").selectOption("nyc");
  await tom.getByRole("button", { name: "Save judgement" }).click();
  await expect(tom.locator("#field-feedback-error")).toContainText("feedback is required");
  await tom.locator("#field-outcome").selectOption("c");
  await tom.locator("#field-score").fill("85");
  await tom.locator("#field-feedback").fill("Square, plumb and safe.");
  await tom.getByRole("button", { name: "Save judgement" }).click();
  await expect(tom.getByRole("status").filter({ hasText: "Judgement recorded" })).toBeVisible();

  // Tom adds a photo of the work to his judgement, as evidence.
  await tom.goto(unitUrl);
  const mine = tom.locator("section.assess-task").filter({ has: tom.getByRole("heading", { name: title }) });
  await mine.getByRole("link", { name: "Add evidence" }).click();
  await expect(tom.getByRole("heading", { level: 1 })).toContainText("Evidence");
  const photo = `frame-${info.project.name}-${Date.now()}.png`;
  await tom.locator("#field-file").setInputFiles({ name: photo, mimeType: "image/png", buffer: PNG });
  await tom.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(tom.getByRole("link", { name: `Download ${photo}` })).toBeVisible();

  // Sam Lee judges the same attempt beside Tom.
  const sam = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(sam, demo("assessor"));
  await sam.goto(unitUrl);
  const task = sam.locator("section.assess-task").filter({ has: sam.getByRole("heading", { name: title }) });
  await task.getByRole("link", { name: "Add another assessor's judgement of attempt 1" }).click();
  await expect(sam.locator("#field-attempt")).toHaveValue("1");
  await sam.locator("#field-outcome").selectOption("c");
  await sam.locator("#field-feedback").fill("Agree: all criteria met.");
  await sam.getByRole("button", { name: "Save judgement" }).click();
  await expect(sam.getByRole("status").filter({ hasText: "Judgement recorded" })).toBeVisible();
  const judged = sam.locator("section.assess-task").filter({ has: sam.getByRole("heading", { name: title }) });
  await expect(judged.locator(".judgement")).toHaveCount(2);
  await expect(judged.getByText("Tom Becker", { exact: true })).toBeVisible();
  await expect(judged.getByText("Sam Lee", { exact: true })).toBeVisible();

  // Tom decides the unit on both judgements.
  await tom.goto(unitUrl);
  await expectHeading(tom, unitName);
  await tom.locator("#field-outcome").selectOption("c");
  await tom.getByLabel(new RegExp(`${title}, attempt 1 — Tom Becker`)).check();
  await tom.getByLabel(new RegExp(`${title}, attempt 1 — Sam Lee`)).check();
  await tom.getByRole("button", { name: "Save decision" }).click();
  await expect(tom.getByRole("status").filter({ hasText: "Decision saved" })).toBeVisible();
  await expect(tom.locator(".unit-outcome")).toContainText("Competent (C)");
  await expect(tom.locator(".unit-outcome")).toContainText("Tom Becker");
  // The evidence photo shows on the judgement it supports.
  await expect(tom.getByRole("link", { name: photo })).toBeVisible();
  if (javaScriptEnabled) expect(errors).toEqual([]);
});

test("a student sees their outcomes, feedback and what is left in My progress", async ({ page }) => {
  await signIn(page, demo("student"));
  await page.getByRole("link", { name: "My progress" }).first().click();
  await expectHeading(page, "My progress");
  await expect(page.getByText("6 of 8 units achieved").first()).toBeVisible();
  await expect(page.getByText(/2 units left: /)).toBeVisible();
  await expect(page.getByText(/Measurements were outside tolerance/)).toBeVisible();
  await expect(page.getByRole("cell", { name: /Competent \(C\)/ }).first()).toBeVisible();
  await expect(page.locator("progress").first()).toHaveAttribute("value", "6");
});
