import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn } from "./helpers";

// Each project uses its own demo learner, which no other journey changes.
const learnerOf = (javaScriptEnabled: boolean | undefined) =>
  javaScriptEnabled ? "noah.papadopoulos" : "zara.singh";

test("a learner files a correction request and sees it accepted", async ({ browser, javaScriptEnabled }) => {
  const learner = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const admin = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const wanted = `Nova${Date.now().toString().slice(-6)}`;

  await signIn(learner, demo(learnerOf(javaScriptEnabled)));
  await learner.getByRole("link", { name: "Open my record" }).click();
  const record = learner.url();
  await expect(learner.getByRole("heading", { level: 2, name: "Correction requests" })).toBeVisible();
  await learner.getByRole("link", { name: "Request a correction" }).click();
  await expectHeading(learner, "Request a correction");

  // An impossible USI is refused at once, by the same rule as the profile's.
  await learner.locator("#field-field").selectOption("usi");
  await learner.locator("#field-requested_value").fill("ABCDEFGHJK");
  await learner.locator("#field-reason").fill("My USI is missing");
  await learner.getByRole("button", { name: "Send the request" }).click();
  await expect(learner.locator("#field-requested_value-error")).toContainText("USI");

  await learner.locator("#field-field").selectOption("preferred_name");
  await learner.locator("#field-requested_value").fill(wanted);
  await learner.locator("#field-reason").fill("Everyone calls me by this name.");
  await learner.getByRole("button", { name: "Send the request" }).click();
  await expect(learner.locator(".alert--ok")).toContainText("correction request #");
  const row = learner.getByRole("row").filter({ hasText: wanted });
  await expect(row).toContainText("Open");
  const href = await row.getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/corrections\/\d+$/);

  // Administrative staff see the open requests (the oldest marked overdue) and accept this one.
  await signIn(admin, demo("admin"));
  await admin.goto("/admin");
  await admin.getByRole("link", { name: "Correction requests" }).click();
  await expectHeading(admin, "Correction requests");
  await expect(admin.getByText(/Overdue/).first()).toBeVisible();
  await admin.goto(href!);
  await expectHeading(admin, /Correction request #\d+/);
  await expect(admin.getByText("Everyone calls me by this name.")).toBeVisible();
  await admin.getByRole("button", { name: "Accept and correct the record" }).click();
  await expect(admin.locator(".alert--ok")).toContainText("Decided");
  await expect(admin.locator(".details")).toContainText("Accepted");

  // The learner sees the decision, and the corrected record.
  await learner.goto(record);
  await expect(learner.getByRole("row").filter({ hasText: wanted })).toContainText("Accepted");
  await expect(learner.locator(".details").first()).toContainText(wanted);
});

test("a learner updates their contact details; a bad phone is explained beside the field", async ({ page, javaScriptEnabled }) => {
  // Not the learner of the journey above: the two run at the same time.
  await signIn(page, demo(javaScriptEnabled ? "aisha.rahman" : "liam.oconnor"));
  await page.getByRole("link", { name: "Open my record" }).click();
  await page.getByRole("link", { name: "Update my contact details" }).click();
  await expectHeading(page, "Update contact details");
  await page.locator("#field-phone").fill("call me");
  await page.getByRole("button", { name: "Save contact details" }).click();
  await expect(page.locator("#field-phone-error")).toContainText("8 to 15 digits");
  const phone = `04${Date.now().toString().slice(-8)}`;
  await page.locator("#field-phone").fill(phone);
  await page.getByRole("button", { name: "Save contact details" }).click();
  await expect(page.locator(".alert--ok")).toContainText("Saved");
  await expect(page.locator(".details").first()).toContainText(phone);
});
