import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Each project issues for its own complete demo learner of Semester 1 Carpentry (i = 39
// and i = 51), whom no other journey changes; both await issue in the demo data.
const learnerOf = (javaScriptEnabled: boolean | undefined) =>
  javaScriptEnabled ? "Ruby Fitzgerald" : "Hamish Stewart";

test("completing the last unit lets staff issue the qualification and print the certificate", async ({
  page,
  javaScriptEnabled,
}) => {
  const errors = watchErrors(page);
  const name = learnerOf(javaScriptEnabled);
  await signIn(page, demo("admin"));
  await page.getByRole("link", { name: "Certificates" }).first().click();
  await expectHeading(page, "Certification register");

  // The awaiting list names the learner, flagged: completed months before the course ended.
  const awaiting = page.locator("#awaiting").getByRole("row").filter({ hasText: name });
  await expect(awaiting).toContainText("Not issued within 30 days of completion");
  await awaiting.getByRole("link", { name }).click();
  await expectHeading(page, name);
  const section = page.locator("section.completion");
  await expect(section).toContainText("8 of 8 units achieved — eligible for the qualification");

  // Issue the qualification: the certificate page opens, numbered.
  await section.getByRole("button", { name: "Issue qualification" }).click();
  await expect(page.locator(".alert--ok")).toContainText("Issued");
  await expectHeading(page, /Qualification TR-\d{4}-\d{6}/);
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  const number = heading!.match(/TR-\d{4}-\d{6}/)![0];
  const certificate = page.locator("article.certificate");
  await expect(certificate).toContainText(name);
  await expect(certificate).toContainText("CPC30220");
  await expect(certificate).toContainText(number);
  await expect(certificate).toContainText("Authorised signatory");

  // The print layout: only the certificate; no navigation, buttons or forms.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(certificate).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await expect(page.locator(".site-header")).toBeVisible();

  // The transcript lists the units with their results.
  await page.getByRole("link", { name: "Transcript" }).click();
  await expectHeading(page, "Record of results");
  await expect(page.locator("table tbody tr")).toHaveCount(8);
  await expect(
    page.locator("table tbody tr").first().getByRole("cell", { name: /^(C|CT|RPL)$/ }),
  ).toHaveCount(1);

  // The register finds it by number; the learner no longer awaits issue.
  await page.goto("/certificates");
  await page.locator("#q").fill(number);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByRole("row").filter({ hasText: number })).toContainText(name);
  await expect(page.getByRole("row").filter({ hasText: number })).toContainText("Current");
  await expect(page.locator("#awaiting").getByRole("row").filter({ hasText: name })).toHaveCount(0);
  if (javaScriptEnabled) expect(errors).toEqual([]);
});

test("a learner says where they are now after the course", async ({ page, javaScriptEnabled }) => {
  await signIn(page, demo(javaScriptEnabled ? "chloe.tan" : "ethan.kowalski"));
  await page.getByRole("link", { name: "Open my record" }).click();
  await expect(page.getByRole("heading", { name: "Where are you now?" })).toBeVisible();

  // Employment needs its status: the message stands beside the field.
  await page.locator("#field-follow-kind").selectOption("employment");
  await page.getByRole("button", { name: "Save follow-up" }).click();
  await expect(page.locator("#field-follow-employment_status-error")).toContainText("Choose the employment status");

  const employer = `Builder ${Date.now().toString().slice(-6)}`;
  await page.locator("#field-follow-kind").selectOption("employment");
  await page.locator("#field-follow-employment_status").selectOption("part_time");
  await page.locator("#field-follow-occupation").fill("Apprentice carpenter");
  await page.locator("#field-follow-employer").fill(employer);
  await page.getByRole("button", { name: "Save follow-up" }).click();
  await expect(page.locator(".alert--ok").filter({ hasText: "Follow-up recorded" })).toBeVisible();
  await expect(page.locator(".follow-up-list")).toContainText(`Apprentice carpenter at ${employer}`);
  await expect(page.locator(".follow-up-list")).toContainText("(the learner)");
});

// Semester 1 learners whose last unit was judged Competent but not yet decided: i = 30
// (with JS) and i = 42 (without), whom no other journey changes.
test("deciding the last unit makes the learner eligible, and staff issue the qualification", async ({
  page,
  javaScriptEnabled,
}) => {
  const errors = watchErrors(page);
  const name = javaScriptEnabled ? "Ava Walsh" : "Lucas Ivanova";
  await signIn(page, demo("admin"));
  await page.goto(`/learners?q=${encodeURIComponent(name.split(" ")[1])}`);
  await page.getByRole("link", { name: new RegExp(name.split(" ")[1]) }).first().click();
  await expectHeading(page, name);
  const section = page.locator("section.completion");
  await expect(section).toContainText("7 of 8 units achieved");
  await expect(section.getByRole("button", { name: "Issue qualification" })).toHaveCount(0);

  // The last unit: judged Competent, not yet decided. Decide it on that judgement.
  const row = page.getByRole("row").filter({ hasText: "Not yet decided" }).first();
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: "Unit outcome" })).toBeVisible();
  await page.locator("#field-outcome").selectOption("c");
  await page.getByLabel(/attempt 1 — Tom Becker/).first().check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Decision saved" })).toBeVisible();

  // Now complete: issue the qualification and open its print view.
  await page.goto(`/learners?q=${encodeURIComponent(name.split(" ")[1])}`);
  await page.getByRole("link", { name: new RegExp(name.split(" ")[1]) }).first().click();
  await expect(section).toContainText("8 of 8 units achieved — eligible for the qualification");
  await section.getByRole("button", { name: "Issue qualification" }).click();
  await expectHeading(page, /Qualification TR-\d{4}-\d{6}/);
  await expect(page.locator("article.certificate")).toContainText(name);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator("article.certificate")).toBeVisible();
  if (javaScriptEnabled) expect(errors).toEqual([]);
});
