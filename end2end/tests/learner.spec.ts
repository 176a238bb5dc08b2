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
  await expect(page.getByRole("status")).toContainText("Saved");
  await page.getByRole("link", { name: "History" }).click();
  await expectHeading(page, "Record history");
  await expect(page.getByText("learner create")).toBeVisible();
});

test("two staff edit the same profile: the second gets a conflict, nothing is overwritten", async ({ browser, javaScriptEnabled }) => {
  const one = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const two = await (await browser.newContext({ javaScriptEnabled })).newPage();
  for (const p of [one, two]) await signIn(p, demo("admin"));
  await one.goto("/learners");
  // Each project edits its own learner, so the two runs do not race each other.
  const who = javaScriptEnabled ? /Wilson/ : /Kowalski/;
  await one.getByRole("link", { name: who }).click();
  const record = one.url();
  await one.getByRole("link", { name: "Edit profile" }).click();
  await two.goto(`${record}/edit`);
  await expectHeading(two, /Edit profile/);

  const phone = `04${Date.now().toString().slice(-8)}`;
  await one.locator("#field-phone").fill(phone);
  await one.getByRole("button", { name: "Save profile" }).click();
  await expect(one.getByRole("status")).toContainText("Saved");

  await two.locator("#field-email").fill("changed.by.two@example.org");
  await two.getByRole("button", { name: "Save profile" }).click();
  await expect(two.getByRole("alert")).toContainText("changed while you were editing");
  await expect(two.getByRole("alert")).toContainText("phone");

  await one.goto(record);
  await expect(one.getByText(phone)).toBeVisible();
  await expect(one.getByText("changed.by.two@example.org")).toHaveCount(0);
});
