import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Runs in both projects: "no-js" (plain form posts and redirects) and "js" (hydrated).

const homes: [string, string, string][] = [
  ["admin", "/admin", "Administration"],
  ["educator", "/educator", "My learners"],
  ["student", "/student", "Welcome, Mia Nguyen"],
  ["partner", "/partner", "Shared with me"],
  ["auditor", "/auditor", "Compliance view"],
];

for (const [who, path, heading] of homes) {
  test(`${who} signs in and lands on their own home`, async ({ page }) => {
    const errors = watchErrors(page);
    await signIn(page, demo(who));
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expectHeading(page, heading);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test("a wrong password is refused with one message and the visitor stays signed out", async ({ page }) => {
  await signIn(page, demo("educator"), "not-the-password");
  await expect(page.getByRole("alert")).toContainText("The email or password is not right");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("empty fields get messages beside them", async ({ page, javaScriptEnabled }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#field-email-error")).toContainText("Enter your email address");
  await expect(page.locator("#field-password-error")).toContainText("Enter your password");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  if (javaScriptEnabled) await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
});

test("a student cannot reach another student's record by editing the URL", async ({ page }) => {
  await signIn(page, demo("student"));
  await expect(page).toHaveURL(/\/student$/);
  await page.getByRole("link", { name: "Open my record" }).click();
  await expect(page).toHaveURL(/\/learners\/\d+$/);
  await expectHeading(page, "Mia Nguyen");
  const own = Number(page.url().split("/").pop());
  for (const other of [own + 1, own + 2]) {
    const res = await page.goto(`/learners/${other}`);
    expect(res?.status()).toBe(404);
    await expectHeading(page, "Not found");
    await expect(page.getByRole("heading", { name: "Enrolments" })).toHaveCount(0);
  }
  const admin = await page.goto("/admin/accounts");
  expect(admin?.status()).toBe(403);
  await expectHeading(page, "Not allowed");
});

test("signing out ends the session: protected pages ask to sign in again", async ({ page }) => {
  await signIn(page, demo("auditor"));
  await expect(page).toHaveURL(/\/auditor$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?signed_out=1/);
  await expect(page.getByRole("status").filter({ hasText: "You are signed out" })).toBeVisible();
  const res = await page.goto("/logs/security");
  expect(res?.status()).toBe(401);
  await expectHeading(page, "Please sign in");
});

test("admin creates an account; its holder sets a password with the link and signs in", async ({ page, browser, javaScriptEnabled }, info) => {
  const email = `new.${info.project.name}.${Date.now()}@example.org`;
  await signIn(page, demo("admin"));
  await page.getByRole("link", { name: "Accounts", exact: true }).click();
  await expectHeading(page, "Accounts");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Create account" }) });
  // A mistake first: nothing is created, the messages sit beside the fields.
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-email-error")).toContainText("Enter an email address");
  await expect(page.locator("#field-display_name-error")).toContainText("Enter the person's name");
  await expect(page.locator("#field-roles-error")).toContainText("Choose at least one role");

  await form.getByLabel("Name").fill("Nadia Example");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Educator").check();
  await form.getByRole("button", { name: "Create account" }).click();
  await expectHeading(page, "Nadia Example");
  const link = await page.locator(".link-box").innerText();
  expect(link).toMatch(/^\/set-password\?token=[\w-]{20,}$/);

  const holder = await browser.newContext({ javaScriptEnabled });
  const hp = await holder.newPage();
  await hp.goto(link);
  await expectHeading(hp, "Set your password");
  await hp.locator("#field-new_password").fill("password123");
  await hp.locator("#field-confirm_password").fill("password123");
  await hp.getByRole("button", { name: "Set password" }).click();
  await expect(hp.locator("#field-new_password-error")).toContainText("too common");
  await hp.locator("#field-new_password").fill("amber-kettle-orchard");
  await hp.locator("#field-confirm_password").fill("amber-kettle-orchard");
  await hp.getByRole("button", { name: "Set password" }).click();
  await expect(hp).toHaveURL(/\/sign-in\?password_set=1/);
  await signIn(hp, email, "amber-kettle-orchard");
  await expect(hp).toHaveURL(/\/educator$/);
  await holder.close();

  // The security log shows what happened.
  await page.goto(`/logs/security?actor=${encodeURIComponent(email)}`);
  await expect(page.getByRole("cell", { name: "account created" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "password set" })).toBeVisible();
});

test("auditors read the access log, filtered by person", async ({ page }) => {
  await signIn(page, demo("educator"));
  await expect(page).toHaveURL(/\/educator$/);
  await page.getByLabel("Name or USI").fill("Nguyen");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByRole("link", { name: /Nguyen/ }).click();
  await expectHeading(page, "Mia Nguyen");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, demo("auditor"));
  await page.getByRole("link", { name: "Access log" }).first().click();
  await expectHeading(page, "Access log");
  await page.getByLabel("Person (email contains)").fill("educator@demo");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=educator%40demo/);
  await expect(page.getByRole("cell", { name: "educator@demo.trackrecord.test" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Mia Nguyen" }).first()).toBeVisible();
});
