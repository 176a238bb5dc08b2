import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn } from "./helpers";

test("admin imports a qualification: three bad lines are named and nothing is saved, the fixed list imports", async ({ page }, info) => {
  // A code of this run's own, so both projects can run side by side.
  const code = `TST${info.project.name === "js" ? "4" : "3"}${Date.now().toString().slice(-4)}`;
  const good = [
    "code,title,kind,hours",
    `${code}A1,Plan and organise work,core,20`,
    `${code}A2,Work safely,core,10`,
    `${code}B1,Estimate materials,elective,25`,
    `${code}B2,Read plans,elective,30`,
  ];
  const bad = [...good, "12,No code,core,10", `${code}C1,Odd kind,optional,10`, `${code}C2,No hours,elective,lots`];
  await signIn(page, demo("admin"));
  await page.getByRole("link", { name: "Qualifications" }).first().click();
  await expectHeading(page, "Qualifications");
  await page.getByLabel("National code").fill(code);
  await page.getByLabel("Title").fill("Certificate III in Testing");
  await page.getByLabel("Level").selectOption("3");
  await page.getByLabel("Electives a learner chooses").fill("1");
  await page.getByLabel("Units (CSV)").fill(bad.join("\n"));
  await page.getByRole("button", { name: "Add qualification" }).click();
  const errors = page.locator("#q-units-error");
  await expect(errors).toContainText("Line 6, code");
  await expect(errors).toContainText("Line 7, kind");
  await expect(errors).toContainText("Line 8, hours");
  await page.goto("/catalogue");
  await expect(page.getByRole("link", { name: code })).toHaveCount(0);

  await page.getByLabel("National code").fill(code);
  await page.getByLabel("Title").fill("Certificate III in Testing");
  await page.getByLabel("Level").selectOption("3");
  await page.getByLabel("Electives a learner chooses").fill("1");
  await page.getByLabel("Units (CSV)").fill(good.join("\n"));
  await page.getByRole("button", { name: "Add qualification" }).click();
  await expectHeading(page, `${code} Certificate III in Testing`);
  await expect(page.getByText("2 core units and 1 of 2 electives")).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(5);

  // A course delivering it, taught by a demo educator.
  await page.goto("/courses");
  await page.getByLabel("Course code").fill(`${code}-S1`);
  await page.getByLabel("Title", { exact: true }).fill("Testing, first intake");
  await page.getByLabel("Qualification").selectOption({ label: `${code} Certificate III in Testing` });
  await page.getByLabel("First day").fill("2027-02-01");
  await page.getByLabel("Last day").fill("2026-11-26");
  await page.getByLabel("Delivery").selectOption("blended");
  await page.getByLabel("Tom Becker").check();
  await page.getByRole("button", { name: "Add course" }).click();
  await expect(page.locator("#c-end_date-error")).toContainText("before the first day");
  await page.getByLabel("Course code").fill(`${code}-S1`);
  await page.getByLabel("Title", { exact: true }).fill("Testing, first intake");
  await page.getByLabel("Qualification").selectOption({ label: `${code} Certificate III in Testing` });
  await page.getByLabel("First day").fill("2027-02-01");
  await page.getByLabel("Last day").fill("2027-11-26");
  await page.getByLabel("Delivery").selectOption("blended");
  await page.getByLabel("Tom Becker").check();
  await page.getByRole("button", { name: "Add course" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Course added" })).toBeVisible();
  await expect(page.getByRole("cell", { name: `${code}-S1` })).toBeVisible();
});
