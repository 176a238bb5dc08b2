import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// A real 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

// Mia Nguyen's demo items (server/src/demo/portfolio.rs).
const PLACEMENT = "Apprentice carpenter placement";
const REFLECTION = "Week 6: setting out my first wall frame";

test("Mia filters her portfolio to work experience, adds a photo to a placement, downloads it and removes it", async ({ page, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  const photo = `placement-${info.project.name}-${Date.now()}.png`;
  await signIn(page, demo("student"));
  await page.getByRole("link", { name: "My portfolio" }).click();
  await expectHeading(page, "My portfolio");
  await expect(page.getByRole("link", { name: "Sharing" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Printable portfolio" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add a reflection" })).toHaveAttribute("href", "/portfolio/new?kind=reflection");
  if (javaScriptEnabled) await expect(page.locator("html[data-hydrated]")).toHaveCount(1);

  // Filter to work experience: only placements are listed.
  await page.getByRole("link", { name: /^Work experience \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/kind=work_experience/);
  await expect(page.getByRole("link", { name: /^Work experience \(\d+\)$/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: PLACEMENT })).toBeVisible();
  await expect(page.getByRole("link", { name: REFLECTION })).toHaveCount(0);

  // Open the placement.
  await page.getByRole("link", { name: PLACEMENT }).click();
  await expectHeading(page, PLACEMENT);
  await expect(page.getByText("BuildRight Constructions")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toBeVisible();

  // Upload a photo: it is listed with a download link.
  await page.locator("#field-file").setInputFiles({ name: photo, mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const link = page.getByRole("link", { name: `Download ${photo}` });
  await expect(link).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /uploaded/i }).first()).toBeVisible();

  // Download it: the same name and bytes, as an attachment.
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(photo);
  const res = await page.request.get((await link.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/png");
  expect(res.headers()["content-disposition"]).toContain("attachment");
  expect(Buffer.compare(await res.body(), PNG)).toBe(0);

  // Remove it, after confirming.
  await page.getByText(`Remove ${photo}`, { exact: true }).click();
  await page.getByRole("button", { name: `Yes, remove ${photo}` }).click();
  await expect(page.getByRole("link", { name: `Download ${photo}` })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("an educator of Mia's course reads her reflection; the auditor sees her portfolio without it", async ({ page }) => {
  await signIn(page, demo("educator"));
  await page.goto("/learners?q=Nguyen");
  await page.getByRole("link", { name: /Nguyen/ }).first().click();
  await page.getByRole("link", { name: /^Portfolio \(\d+ items\)$/ }).click();
  await expectHeading(page, "Mia Nguyen's portfolio");
  await page.getByRole("link", { name: REFLECTION }).click();
  await expectHeading(page, REFLECTION);
  await expect(page.getByRole("heading", { name: "What went well" })).toBeVisible();
  const reflection = page.url();
  await expect(page.locator("#field-file")).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, demo("auditor"));
  await page.goto("/learners?q=Nguyen");
  await page.getByRole("link", { name: /Nguyen/ }).first().click();
  await page.getByRole("link", { name: /^Portfolio \(\d+ items\)$/ }).click();
  await expectHeading(page, "Mia Nguyen's portfolio");
  await expect(page.getByRole("link", { name: PLACEMENT })).toBeVisible();
  await expect(page.getByRole("link", { name: REFLECTION })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Self-reflections/ })).toHaveCount(0);
  const res = await page.goto(reflection);
  expect(res?.status()).toBe(404);
});
