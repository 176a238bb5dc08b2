import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Mia (student@) shares three of her six demo items with the demo partner, the partner sees
// exactly those, Mia sees the view in her log, revokes, and the partner sees nothing.
test("a student shares three items with a partner, sees the view logged, revokes, and the partner sees nothing", async ({ page, browser, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  await signIn(page, demo("student"));
  await page.goto("/my/portfolio/shares");
  await expectHeading(page, "Sharing my portfolio");

  await expect(page.locator("#field-kind-partner")).toBeChecked();
  const partner = page.locator("#field-partner_id");
  const option = partner.locator("option", { hasText: demo("partner") });
  const partnerName = (await option.textContent())!.split(" (")[0].trim();
  const label = `Job application ${info.project.name} ${Date.now()}`;
  const fillIn = async () => {
    await partner.selectOption((await option.getAttribute("value"))!);
    await page.locator("#field-expires_on").fill("");
    await page.locator("#field-label").fill(label);
  };
  await fillIn();

  // Nothing chosen: the reason is beside the choices, nothing is shared.
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page.locator("#field-items-error")).not.toBeEmpty();
  await expect(page).toHaveURL(/\/my\/portfolio\/shares(\?.*)?$/);
  // Without JavaScript the refused form comes back empty (a known gap).
  if (!javaScriptEnabled) await fillIn();

  const boxes = page.locator(".share-choices li");
  expect(await boxes.count()).toBeGreaterThan(3);
  const titleOf = async (i: number) =>
    (await boxes.nth(i).locator("label").evaluate((l) => l.firstChild?.textContent ?? "")).trim();
  const shared = [await titleOf(0), await titleOf(1), await titleOf(2)];
  const notShared = await titleOf(3);
  for (let i = 0; i < 3; i++) await boxes.nth(i).locator("input").check();
  await page.getByRole("button", { name: "Share" }).click();
  await page.waitForURL(/\/my\/portfolio\/shares\/\d+/);
  const shareId = new URL(page.url()).pathname.split("/")[4];
  await expect(page.getByRole("status").filter({ hasText: "Shared with" })).toBeVisible();
  await expect(page.getByText("Nobody has opened this share yet.")).toBeVisible();

  // The partner sees exactly those three, read-only.
  const partnerPage = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const partnerErrors = watchErrors(partnerPage);
  await signIn(partnerPage, demo("partner"));
  await partnerPage.goto("/shared");
  await expect(partnerPage.locator(`a[href="/shared/${shareId}"]`)).toBeVisible();
  await partnerPage.goto(`/shared/${shareId}`);
  await expect(partnerPage.getByRole("heading", { name: "Shared items (3)" })).toBeVisible();
  await expect(partnerPage.locator("article.shared-item")).toHaveCount(3);
  for (const title of shared) {
    await expect(partnerPage.locator("article.shared-item h3", { hasText: title })).toHaveCount(1);
  }
  await expect(partnerPage.locator("article.shared-item h3", { hasText: notShared })).toHaveCount(0);
  await expect(partnerPage.getByRole("link", { name: "Edit" })).toHaveCount(0);

  // Mia sees who viewed it, then revokes after confirming.
  await page.reload();
  await expect(page.locator("table.share-views")).toContainText(partnerName);
  await page.getByRole("link", { name: "Revoke…" }).click();
  await expect(page.getByRole("heading", { name: "Revoke this share?" })).toBeVisible();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Revoke…" })).toHaveCount(0);

  // The partner sees nothing any more.
  await partnerPage.goto(`/shared/${shareId}`);
  await expect(partnerPage.locator("article.shared-item")).toHaveCount(0);
  await expect(partnerPage.getByText("Not found").first()).toBeVisible();
  await partnerPage.goto("/shared");
  await expect(partnerPage.locator(`a[href="/shared/${shareId}"]`)).toHaveCount(0);
  expect(errors).toEqual([]);
  expect(partnerErrors).toEqual([]);
});

test("a link with a last day opens without signing in; an expired link says so clearly", async ({ page, browser, javaScriptEnabled }) => {
  const errors = watchErrors(page);
  await signIn(page, demo("student"));
  await page.goto("/my/portfolio/shares");
  await page.locator("#field-kind-link").check();
  await page.locator(".share-choices li").first().locator("input").check();
  const title = (await page.locator(".share-choices li label").first().evaluate((l) => l.firstChild?.textContent ?? "")).trim();
  await page.getByRole("button", { name: "Share" }).click();
  await page.waitForURL(/\/my\/portfolio\/shares\/\d+/);
  const link = await page.locator("#share-link").getAttribute("href");
  expect(link).toMatch(/^\/s\/[A-Za-z0-9_-]{20,}$/);

  const visitor = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await visitor.goto(link!);
  await expect(visitor.getByRole("heading", { name: "Shared items (1)" })).toBeVisible();
  await expect(visitor.locator("article.shared-item h3", { hasText: title })).toHaveCount(1);

  // The demo's link of Liam's portfolio ended three days ago.
  await visitor.goto("/s/demo-expired-link-liam-oconnor");
  await expectHeading(visitor, "This link has expired");
  await expect(visitor.locator("#link-expired")).toContainText("Ask Liam for a new one.");
  await expect(visitor.locator("article.shared-item")).toHaveCount(0);
  // A made-up link is not valid.
  await visitor.goto("/s/not-a-real-link-0000000000000000");
  await expectHeading(visitor, "Link not valid");
  expect(errors).toEqual([]);
});

test("Mia opens her printable portfolio and downloads it as a zip", async ({ page, javaScriptEnabled }) => {
  const errors = watchErrors(page);
  await signIn(page, demo("student"));
  await page.goto("/my/portfolio");
  await page.getByRole("link", { name: "Printable portfolio" }).click();
  await expectHeading(page, "Mia Nguyen");
  await expect(page.getByText("Skills portfolio")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Skills summary" })).toBeVisible();
  for (const section of ["Self-reflections", "Work experience", "Evidence"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  // The print stylesheet hides the buttons and links around the portfolio.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".portfolio-print__actions")).toBeHidden();
  await expect(page.locator(".portfolio-cover h1")).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  if (javaScriptEnabled) await expect(page.getByRole("button", { name: "Print" })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download as zip" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const path = await download.path();
  const bytes = fs.readFileSync(path);
  expect(bytes.subarray(0, 4).toString("binary")).toBe("PK\u0003\u0004");
  expect(bytes.includes(Buffer.from("portfolio.json"))).toBe(true);
  expect(errors).toEqual([]);
});
