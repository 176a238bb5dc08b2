import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "learn-and-grow-2026";
export const demo = (who: string) => `${who}@demo.trackrecord.test`;

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Done when the browser has left the sign-in page, or the page says why not.
  await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith("/sign-in")),
    page.locator(".alert--error, .field-error p").first().waitFor(),
  ]);
}

/** Collects console errors, ignoring the browser's log line for expected 4xx answers. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (401|403|404|409|422|429)/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

export async function expectHeading(page: Page, name: string | RegExp) {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}
