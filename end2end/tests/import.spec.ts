import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

const HEADER = "given_name,family_name,date_of_birth,email,course_code,commenced_on,units";
const CORE = "CPCCCA2002;CPCCCA2011;CPCCCA3001;CPCCCA3002;CPCCCA3003;CPCCCA3004";
const UNITS = `${CORE};CPCCCA3010;CPCCCA3012`;

function csv(family: string, fixed: boolean): string {
  const rows = [
    `Ava,${family},2004-03-17,ava@example.org,CPC30220-2026-S1,2026-02-02,${UNITS}`,
    // Row 3: a date of birth in the wrong format.
    `Ben,${family},${fixed ? "2003-07-01" : "01/07/2003"},,,,`,
    `"Cara, Jo",${family},2002-11-30,,CPC30220-2026-S1,2026-02-02,${UNITS}`,
    // Row 5: a course that does not exist.
    `Dev,${family},2001-01-15,,${fixed ? "CPC30220-2026-S1" : "CPC99999-2026"},2026-02-02,${UNITS}`,
    `Eli,${family},2005-06-06,,,,`,
    // Row 7: a core unit missing.
    `Fay,${family},2000-12-12,,CPC30220-2026-S1,2026-02-02,${fixed ? UNITS : "CPCCCA2002;CPCCCA3010;CPCCCA3012"}`,
  ];
  return `${HEADER}\n${rows.join("\n")}\n`;
}

test("a CSV with three bad rows is refused with those rows named and nothing imported; the fixed file imports", async ({ page, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  const family = `Import${info.project.name.replace("-", "")}${Date.now()}`;
  await signIn(page, demo("admin"));
  await page.goto("/learners");
  await page.getByRole("link", { name: "Import from CSV" }).click();
  await expectHeading(page, "Import learners");
  await expect(page.getByRole("link", { name: "Download the template" })).toBeVisible();
  const template = await page.request.get("/learners-import-template.csv");
  expect(template.status()).toBe(200);
  expect(await template.text()).toContain("given_name,family_name,preferred_name,date_of_birth");

  await page.locator("#field-file").setInputFiles({ name: "learners-bad.csv", mimeType: "text/csv", buffer: Buffer.from(csv(family, false)) });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expectHeading(page, "Import: learners-bad.csv");
  await expect(page.getByRole("alert")).toContainText("3 rows ready, 3 rows with problems — nothing will be imported until they are fixed.");
  const problems = page.locator("table.import-problems tbody tr");
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toContainText("3");
  await expect(problems.nth(0)).toContainText("date_of_birth");
  await expect(problems.nth(1)).toContainText("5");
  await expect(problems.nth(1)).toContainText("No course has the code CPC99999-2026");
  await expect(problems.nth(2)).toContainText("7");
  await expect(problems.nth(2)).toContainText("Every core unit is required");
  await expect(page.getByRole("button", { name: /^Import / })).toHaveCount(0);

  // Nothing was imported, not even the good rows.
  await page.goto(`/learners?q=${family}`);
  await expect(page.getByText("No learners match")).toBeVisible();

  await page.goto("/learners/import");
  await page.locator("#field-file").setInputFiles({ name: "learners-fixed.csv", mimeType: "text/csv", buffer: Buffer.from(csv(family, true)) });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expectHeading(page, "Import: learners-fixed.csv");
  await expect(page.getByRole("status").filter({ hasText: "All 6 rows are ready" })).toContainText("6 learners and 4 enrolments");
  await expect(page.getByRole("cell", { name: `${family}, Cara, Jo` })).toBeVisible();
  await page.getByRole("button", { name: "Import 6 learners" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("Imported 6 learners and 4 enrolments");

  await page.goto(`/learners?q=${family}`);
  await expect(page.locator("ul.list li")).toHaveCount(6);
  await page.getByRole("link", { name: `${family}, Ava` }).click();
  await expect(page.getByRole("heading", { name: /CPC30220-2026-S1/ }).first()).toBeVisible();
  if (javaScriptEnabled) expect(errors).toEqual([]);
});

test("people other than administrative staff cannot import", async ({ page }) => {
  await signIn(page, demo("educator"));
  const res = await page.goto("/learners/import");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
  await expect(page.locator("#field-file")).toHaveCount(0);
});
