import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", name), "utf8");

// The admin imports a framework, re-imports a changed version, sees the diff, applies it,
// and the renamed skills keep their place while the removed one is retired.
test("admin imports a skills framework, re-imports a changed version and sees the diff", async ({ page, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  await signIn(page, demo("admin"));
  await page.goto("/skills");
  await expectHeading(page, "Industry skills frameworks");
  await page.locator("#skills-import-new").click();
  await expectHeading(page, "Import a skills framework");

  // A bad file: the row and column are named, nothing is imported.
  const code = `E2E-${javaScriptEnabled ? "JS" : "NOJS"}-${Date.now() % 100000}`;
  await page.locator("#skills-code").fill(code);
  await page.locator("#skills-title").fill(`Construction skills (${info.project.name})`);
  await page.locator("#skills-csv").fill("uri,label\nhttp://example.org/skill/1,\n");
  await page.locator("#skills-check").click();
  await expect(page.locator("#skills-csv-error")).toContainText("Row");

  // Version 1: with JavaScript the file picker fills the text; without, the rows are pasted.
  if (javaScriptEnabled) {
    await page.locator("#skills-file").setInputFiles(path.join(__dirname, "..", "fixtures", "skills-v1.csv"));
    await expect(page.locator("#skills-csv")).toHaveValue(/read construction drawings/);
  } else {
    await page.locator("#skills-code").fill(code);
    await page.locator("#skills-title").fill(`Construction skills (${info.project.name})`);
    await page.locator("#skills-csv").fill(fixture("skills-v1.csv"));
  }
  await page.locator("#skills-check").click();
  await expect(page.locator("#skills-summary")).toContainText(`version 1 of ${code}`);
  await page.locator("#skills-apply").click();
  await page.waitForURL(/\/skills\/\d+(\?.*)?$/);
  await expectHeading(page, new RegExp(code));
  await expect(page.getByRole("status").filter({ hasText: "Version 1" })).toBeVisible();
  await expect(page.locator("main")).toContainText("read construction drawings");

  // Version 2: the diff before anything changes.
  await page.locator("#skills-import-version").click();
  await page.locator("#skills-csv").fill(fixture("skills-v2.csv"));
  await page.locator("#skills-check").click();
  await expect(page.locator("#skills-summary")).toContainText("2 added, 1 removed, 2 renamed");
  await expect(page.locator("#skills-added")).toContainText("install roof trusses");
  await expect(page.locator("#skills-added")).toContainText("erect and dismantle scaffolding");
  await expect(page.locator("#skills-renamed")).toContainText("read construction drawings → interpret construction drawings");
  await expect(page.locator("#skills-renamed")).toContainText("install wooden frames → install timber frames");
  await expect(page.locator("#skills-removed")).toContainText("measure, mark and cut timber");
  await page.locator("#skills-apply").click();
  await page.waitForURL(/\/skills\/\d+(\?.*)?$/);
  await expect(page.getByRole("status").filter({ hasText: "Version 2" })).toBeVisible();
  await expect(page.locator("main")).toContainText("interpret construction drawings");
  await expect(page.locator("main")).not.toContainText("read construction drawings");
  expect(errors).toEqual([]);
});
