import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn } from "./helpers";

// Jack Wilson (CPC30220-2026-S2, Tom Becker's course) has 44% attendance in the demo data.
test("an educator sees a learner with low attendance at risk with the reason, follows it, and adds a review and an intervention", async ({ page, javaScriptEnabled }) => {
  const marker = `${javaScriptEnabled ? "js" : "nojs"}-${Date.now()}`;
  await signIn(page, demo("educator"));
  await page.getByRole("link", { name: "At risk", exact: true }).first().click();
  await expectHeading(page, "At risk");
  await page.getByLabel("Course").selectOption({ label: "CPC30220-2026-S2 — Certificate III in Carpentry — 2026 Semester 2" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/course=\d+/);
  const row = page.getByRole("row", { name: /Wilson, Jack/ });
  await expect(row).toContainText(/Low attendance: Attendance \d+% \(\d+ of \d+ sessions\) is below 75%/);

  // The reason links to what triggered it: the attendance on the learner's record.
  await row.getByRole("link", { name: "Attendance", exact: true }).click();
  await expectHeading(page, "Jack Wilson");
  await expect(page.getByRole("heading", { name: "Attendance", exact: true })).toBeVisible();
  const section = page.locator("section.reviews-section");
  await expect(section).toContainText(/Attendance \d+% .* is below 75%/);
  await section.getByRole("link", { name: "All progress reviews and interventions" }).click();
  await expectHeading(page, /Progress reviews and interventions — Jack Wilson/);

  // A progress review.
  await page.locator("#field-review-kind").selectOption("advising");
  await page.locator("#field-review-notes").fill(`Talked about attendance ${marker}`);
  await page.locator("#field-review-actions").fill("Attend every Thursday class");
  await page.getByRole("button", { name: "Save the review" }).click();
  await expect(page.getByText("Review saved.")).toBeVisible();
  await expect(page.getByText(`Talked about attendance ${marker}`)).toBeVisible();

  // An intervention: a missing plan is explained beside the field, then it is added.
  await page.locator("#field-intervention-kind").selectOption("attendance_plan");
  await page.locator("#field-intervention-owner").selectOption({ label: "Tom Becker" });
  await page.locator("#field-intervention-follow_up_on").fill("2027-01-15");
  await page.getByRole("button", { name: "Add the intervention" }).click();
  await expect(page.locator("#field-intervention-plan-error")).toContainText("Enter the plan");
  await page.locator("#field-intervention-kind").selectOption("attendance_plan");
  await page.locator("#field-intervention-plan").fill(`Weekly check-in ${marker}`);
  await page.locator("#field-intervention-owner").selectOption({ label: "Tom Becker" });
  await page.locator("#field-intervention-follow_up_on").fill("2027-01-15");
  await page.getByRole("button", { name: "Add the intervention" }).click();
  await expect(page.getByText("Intervention added.")).toBeVisible();
  const added = page.getByRole("row", { name: new RegExp(`Weekly check-in ${marker}`) });
  await expect(added).toContainText("Open");
  await expect(added).toContainText("2027-01-15");
});

test("the thresholds form explains a bad value; admin staff save them", async ({ page, javaScriptEnabled }) => {
  await signIn(page, demo("admin"));
  await page.goto("/admin/risk-settings");
  await expectHeading(page, "At-risk thresholds");
  const attendance = page.locator("#field-attendance_below");
  await expect(attendance).toHaveValue(/\d+/);
  const current = await attendance.inputValue();
  await attendance.fill("101");
  await page.getByRole("button", { name: "Save thresholds" }).click();
  await expect(page.locator("#field-attendance_below-error")).toContainText("Enter a whole number from 1 to 100.");
  // Saving (the same value, so the journeys running beside this one see no change) is done
  // once, without JavaScript: two saves at once would rightly conflict.
  if (!javaScriptEnabled) {
    await page.goto("/admin/risk-settings");
    await page.locator("#field-attendance_below").fill(current);
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByText("Thresholds saved.")).toBeVisible();
    await expect(page.locator("#field-attendance_below")).toHaveValue(current);
  }
});
