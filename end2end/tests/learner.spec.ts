import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn } from "./helpers";

test("admin creates a learner; bad input is explained beside each field and nothing is lost", async ({ page, javaScriptEnabled }, info) => {
  const family = `Example${info.project.name.replace("-", "")}${Date.now()}`;
  await signIn(page, demo("admin"));
  await page.goto("/learners/new");
  await expectHeading(page, "New learner");
  await page.getByLabel("Given name(s)").fill("Ava");
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("2099-01-01");
  await page.getByLabel("Unique Student Identifier (USI)").fill("ABC123");
  if (javaScriptEnabled) {
    // The browser runs the same checks as the server, as soon as a field is left.
    await page.getByLabel("Postcode").focus();
    await expect(page.locator("#field-usi-error")).toContainText("10 characters");
  }
  await page.getByRole("button", { name: "Create learner" }).click();
  await expect(page.locator("#field-date_of_birth-error")).toContainText("future");
  await expect(page.locator("#field-usi-error")).toContainText("10 characters");
  if (javaScriptEnabled) await expect(page.getByLabel("Family name")).toHaveValue(family);
  await page.getByLabel("Given name(s)").fill("Ava");
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("2005-08-01");
  await page.getByLabel("Unique Student Identifier (USI)").fill("");
  await page.getByRole("button", { name: "Create learner" }).click();
  await expectHeading(page, `Ava ${family}`);
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await page.getByRole("link", { name: "History" }).click();
  await expectHeading(page, "Record history");
  await expect(page.getByText("learner create")).toBeVisible();
});

test("two staff edit the same profile: the second gets a conflict, nothing is overwritten", async ({ browser, javaScriptEnabled }) => {
  const one = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const two = await (await browser.newContext({ javaScriptEnabled })).newPage();
  for (const p of [one, two]) await signIn(p, demo("admin"));
  // Each project edits its own learner, so the two runs do not race each other.
  const who = javaScriptEnabled ? /Wilson/ : /Kowalski/;
  await one.goto(`/learners?q=${javaScriptEnabled ? "Wilson" : "Kowalski"}`);
  await one.getByRole("link", { name: who }).click();
  const record = one.url();
  await one.getByRole("link", { name: "Edit profile" }).click();
  await two.goto(`${record}/edit`);
  await expectHeading(two, /Edit profile/);

  const phone = `04${Date.now().toString().slice(-8)}`;
  await one.locator("#field-phone").fill(phone);
  await one.getByRole("button", { name: "Save profile" }).click();
  await expect(one.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  await two.locator("#field-email").fill("changed.by.two@example.org");
  await two.getByRole("button", { name: "Save profile" }).click();
  await expect(two.getByRole("alert")).toContainText("changed while you were editing");
  await expect(two.getByRole("alert")).toContainText("phone");

  await one.goto(record);
  await expect(one.getByText(phone)).toBeVisible();
  await expect(one.getByText("changed.by.two@example.org")).toHaveCount(0);
});

test("admin enrols a new learner: units are checked against the packaging rules", async ({ page }, info) => {
  const family = `Enrol${info.project.name.replace("-", "")}${Date.now()}`;
  await signIn(page, demo("admin"));
  await page.goto("/learners/new");
  await page.getByLabel("Given name(s)").fill("Noor");
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("2006-05-20");
  await page.getByRole("button", { name: "Create learner" }).click();
  await expectHeading(page, `Noor ${family}`);
  await page.getByRole("link", { name: "Enrol in a course" }).click();
  await expectHeading(page, "Enrol in a course");
  await page.getByLabel("Course", { exact: true }).selectOption({ label: "CPC30220-2026-S1 — Certificate III in Carpentry — 2026 Semester 1" });
  await page.getByRole("button", { name: "Show its units" }).click();
  await expect(page.getByLabel(/CPCCCA3004 Construct and erect wall frames \(core/)).toBeChecked();
  await page.getByLabel("Commencement date").fill("2026-02-02");
  await page.getByRole("button", { name: "Enrol" }).click();
  await expect(page.locator("#field-units-error")).toContainText("Choose exactly 2 elective units; 0 chosen");
  await page.getByLabel(/CPCCCA3010/).check();
  await page.getByLabel(/CPCCCA3012/).check();
  await page.getByLabel("Commencement date").fill("2026-02-02");
  await page.getByRole("button", { name: "Enrol" }).click();
  await expectHeading(page, `Noor ${family}`);
  await expect(page.getByRole("status").filter({ hasText: "Enrolled" })).toBeVisible();
  await expect(page.getByText("CPC30220-2026-S1 — Certificate III in Carpentry").first()).toBeVisible();
});
