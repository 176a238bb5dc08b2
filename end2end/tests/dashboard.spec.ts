import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Reads only: Tom Becker's Semester 1 course of the demo data (nothing is changed).
test("the dashboard filters and drills down", async ({ page, javaScriptEnabled }) => {
  const errors = watchErrors(page);
  await signIn(page, demo("educator"));
  await page.goto("/educator");
  await page.getByRole("link", { name: "Progress dashboards of my courses" }).click();
  await expectHeading(page, "Progress dashboard");
  await page.getByRole("link", { name: /Dashboard: CPC30220-2026-S1/ }).click();
  await expectHeading(page, "Progress: CPC30220-2026-S1");
  if (javaScriptEnabled) await page.locator("html[data-hydrated]").waitFor();

  const matrix = page.locator("table.matrix");
  await expect(matrix.locator("caption")).toContainText(/Learners 1–\d+ of \d+/);
  await expect(matrix.locator("td.cell--c a").first()).toContainText("C");
  const mia = matrix.getByRole("link", { name: "Nguyen, Mia", exact: true });
  await expect(mia).toBeVisible();

  // The unit Mia has a Not Yet Competent result in (its code is in the cell's text).
  const nycCell = matrix
    .locator("tr", { has: page.getByRole("link", { name: "Nguyen, Mia", exact: true }) }).locator("td.cell--nyc a").first();
  const spoken = (await nycCell.textContent()) ?? "";
  const code = spoken.replace("NYC", "").split(":")[0].trim();
  expect(code).not.toBe("");

  if (javaScriptEnabled) {
    // Arrow keys move between cells.
    await mia.focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.locator(":focus")).toHaveAttribute("data-cell", /^\d+-[1-9]\d*$/);
    await page.keyboard.press("Home");
    await expect(mia).toBeFocused();
  }

  // Filter: that unit, Not Yet Competent.
  const unitValue = await page.locator("#filter-unit option", { hasText: code }).getAttribute("value");
  await page.locator("#filter-unit").selectOption(unitValue ?? "");
  await page.locator("#filter-state").selectOption("nyc");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/state=nyc/);
  await expect(page.locator(".dashboard-summary")).toContainText("matching the filters");
  await expect(mia).toBeVisible();
  // Noah Papadopoulos has every unit decided Competent: filtered out.
  await expect(matrix.getByRole("link", { name: "Papadopoulos, Noah", exact: true })).toHaveCount(0);
  await expect(page.locator("#filter-state")).toHaveValue("nyc");

  // Charts with their text equivalents.
  await expect(page.locator("svg.chart[role=img]")).toHaveCount(2);
  await page.getByText("Completion progress as a table").click();
  await expect(page.getByRole("rowheader", { name: "Complete (every unit)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /At risk \(\d+\)/ })).toBeVisible();

  // Drill down to the learner.
  await mia.click();
  await expectHeading(page, /Mia/);
  expect(errors).toEqual([]);
});
