import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Mia Nguyen's first judgement in Semester 1 Carpentry: a practical observation with a demo
// photo (server/tests/evidence.rs checks that the demo puts it at this id).
const JUDGEMENT = "/evidence/judgements/1";

// A real 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

test("an educator adds an evidence photo to an observation, downloads it, is told why a fake PNG is refused, and removes it", async ({ page, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  const stamp = `${info.project.name}-${Date.now()}`;
  const photo = `wall-frame-${stamp}.png`;
  await signIn(page, demo("educator"));
  await page.goto(JUDGEMENT);
  await expectHeading(page, "Evidence: Mia Nguyen");
  await expect(page.getByText("Practical observation")).toBeVisible();
  await expect(page.getByRole("link", { name: "Download wall-frame-setout.png" })).toBeVisible();
  if (javaScriptEnabled) await expect(page.locator("html[data-hydrated]")).toHaveCount(1);

  // Upload a photo.
  await page.locator("#field-file").setInputFiles({ name: photo, mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const link = page.getByRole("link", { name: `Download ${photo}` });
  await expect(link).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /uploaded/i }).first()).toBeVisible();

  // Download it: the same name, as an attachment.
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(photo);
  const res = await page.request.get((await link.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/png");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["content-disposition"]).toContain("attachment");
  expect(Buffer.compare(await res.body(), PNG)).toBe(0);

  // A web page named .png is refused, with the reason beside the field, and nothing is listed.
  const fake = `trick-${stamp}.png`;
  await page.locator("#field-file").setInputFiles({
    name: fake,
    mimeType: "image/png",
    buffer: Buffer.from("<!doctype html><script>alert(document.cookie)</script>"),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.locator("#field-file-error")).toContainText("its contents look like a web page");
  await expect(page.getByRole("link", { name: `Download ${fake}` })).toHaveCount(0);

  // Remove the photo, with a reason.
  await page.getByText(`Remove ${photo}`).click();
  const row = page.locator("tr").filter({ hasText: photo });
  await row.getByLabel("Why remove it?", { exact: false }).fill("Taken of the wrong frame");
  await row.getByRole("button", { name: "Remove this file" }).click();
  await expect(page.getByRole("link", { name: `Download ${photo}` })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Download wall-frame-setout.png" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the learner sees and downloads their evidence but cannot add any; a partner is told it does not exist", async ({ page, browser }) => {
  await signIn(page, demo("student"));
  await page.goto(JUDGEMENT);
  await expectHeading(page, "Evidence: Mia Nguyen");
  await expect(page.getByRole("link", { name: "Download wall-frame-setout.png" })).toBeVisible();
  await expect(page.locator("#field-file")).toHaveCount(0);
  await expect(page.getByText(/^Remove /)).toHaveCount(0);

  const partner = await browser.newPage();
  await signIn(partner, demo("partner"));
  const res = await partner.goto(JUDGEMENT);
  expect(res?.status()).toBe(404);
  const href = await page.getByRole("link", { name: "Download wall-frame-setout.png" }).getAttribute("href");
  const file = await partner.request.get(href!);
  expect(file.status()).toBe(404);
  await partner.close();
});
