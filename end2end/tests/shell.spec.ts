import { test, expect } from "@playwright/test";

// Runs in both projects: "no-js" (server-rendered only) and "js" (hydrated).

test("home page says what Trackrecord is, with landmarks", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("Trackrecord");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("learner");
  await expect(page.getByRole("main")).toContainText("vocational education and training");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("contentinfo")).toBeVisible();
  await expect(page.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
});

test("the first Tab reaches the skip link, which moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("an unknown address shows the not-found page with status 404", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("learner");
});

test("the page hydrates only when JavaScript runs", async ({ page, javaScriptEnabled }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto("/");
  if (javaScriptEnabled) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  } else {
    await expect(page.getByRole("main")).toBeVisible();
    await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
  }
  expect(errors).toEqual([]);
});

test("static assets are served compressed with cache headers", async ({ request }) => {
  for (const file of ["/pkg/trackrecord.wasm", "/pkg/trackrecord.js", "/pkg/trackrecord.css"]) {
    const res = await request.get(file, { headers: { "accept-encoding": "br, gzip" } });
    expect(res.status(), file).toBe(200);
    expect(res.headers()["content-encoding"], file).toMatch(/^(br|gzip)$/);
    expect(res.headers()["cache-control"], file).toContain("no-cache");
  }
});
