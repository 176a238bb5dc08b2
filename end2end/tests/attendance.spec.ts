import { test, expect } from "@playwright/test";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

test("educator marks attendance: a new session, the exceptions, the rest present", async ({ page, javaScriptEnabled }, info) => {
  const errors = watchErrors(page);
  const topic = `Framing practice ${info.project.name} ${Date.now()}`;
  // Each project adds its own session on its own day, so the two runs do not meet.
  const day = javaScriptEnabled ? "2026-11-25" : "2026-11-23";
  await signIn(page, demo("educator"));
  await expect(page).toHaveURL(/\/educator/);
  await page.getByRole("link", { name: /^Attendance: CPC30220-2026-S1/ }).click();
  await expectHeading(page, "Attendance: CPC30220-2026-S1");
  await expect(page.getByText("Overall attendance:")).toBeVisible();

  // Bad input is explained beside each field.
  await page.locator("#field-starts_at").fill("13:00");
  await page.locator("#field-ends_at").fill("12:00");
  await page.getByRole("button", { name: "Add session" }).click();
  await expect(page.locator("#field-date-error")).toContainText("Enter the day");
  await expect(page.locator("#field-ends_at-error")).toContainText("end after it starts");
  await expect(page.locator("#field-topic-error")).toContainText("topic");

  await page.locator("#field-date").fill(day);
  await page.locator("#field-starts_at").fill("13:00");
  await page.locator("#field-ends_at").fill("15:30");
  await page.locator("#field-topic").fill(topic);
  await page.getByRole("button", { name: "Add session" }).click();
  await expectHeading(page, `CPC30220-2026-S1: ${topic}`);
  await expect(page.getByRole("status").filter({ hasText: "Session added" })).toBeVisible();

  // Saving with no marks names every learner still to mark.
  await page.getByRole("button", { name: "Save marks" }).click();
  const aisha = page.getByRole("group", { name: "Kai Baker" });
  await expect(aisha.locator(".field-error").first()).toContainText("Choose present, absent, late or excused");

  // Only the exceptions are chosen; the quick entry marks everyone else present.
  await aisha.getByLabel("Absent", { exact: true }).check();
  await aisha.getByLabel(/Note/).fill("Unwell, called in");
  await page.getByRole("group", { name: "Hamish Edwards" }).getByLabel("Late", { exact: true }).check();
  await page.getByRole("button", { name: /Mark the rest present and save/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Attendance saved" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Kai Baker" }).getByLabel("Absent", { exact: true })).toBeChecked();
  await expect(page.getByRole("group", { name: "Hamish Edwards" }).getByLabel("Late", { exact: true })).toBeChecked();
  await expect(page.getByRole("group", { name: "Tariq Kaur" }).getByLabel("Present", { exact: true })).toBeChecked();
  await expect(page.getByText(/Marked: \d+ present · 1 absent · 1 late/)).toBeVisible();

  // The session is marked in the course's list, and each learner has a rate.
  await page.getByRole("link", { name: /Sessions of CPC30220-2026-S1/ }).click();
  await expectHeading(page, "Attendance: CPC30220-2026-S1");
  const row = page.getByRole("row", { name: new RegExp(topic) });
  await expect(row).toContainText("Marked:");
  await expect(page.getByRole("row", { name: /Baker, Kai/ })).toContainText(/\d+ of \d+ sessions, \d+%/);

  // The learner's record shows the mark in its attendance section.
  await page.getByRole("link", { name: "Baker, Kai" }).click();
  await expectHeading(page, "Kai Baker");
  await expect(page.getByRole("heading", { name: "Attendance", level: 2 })).toBeVisible();
  const mark = page.getByRole("row", { name: new RegExp(topic) });
  await expect(mark).toContainText("Absent — Unwell, called in");
  expect(errors).toEqual([]);
});

test("an auditor reads attendance and cannot mark", async ({ page }) => {
  await signIn(page, demo("auditor"));
  await page.goto("/courses");
  await page.getByRole("row", { name: /BSB40120-2026-S1/ }).getByRole("link", { name: "Attendance" }).click();
  await expectHeading(page, "Attendance: BSB40120-2026-S1");
  await expect(page.getByRole("heading", { name: "Add a session" })).toHaveCount(0);
  await expect(page.getByText("Below 70%").first()).toBeVisible();
  await page.getByRole("link", { name: /^View / }).first().click();
  await expect(page.getByRole("button", { name: "Save marks" })).toHaveCount(0);
  await expect(page.getByRole("table")).toContainText(/Present|Absent|Late|Excused/);
});

test("a student sees their own attendance on their record, and no course's", async ({ page }) => {
  await signIn(page, demo("student"));
  await page.goto("/student");
  await page.getByRole("link", { name: "Open my record" }).click();
  await expect(page.getByRole("heading", { name: "Attendance", level: 2 })).toBeVisible();
  await expect(page.getByText(/^CPC30220-2026-S1: \d+ of \d+ sessions/).first()).toBeVisible();
  await page.goto("/courses/1/attendance");
  await expectHeading(page, "Not found");
});

test("two people mark the same session: the second is told who saved, nothing is overwritten", async ({ browser, javaScriptEnabled }, info) => {
  const one = await (await browser.newContext({ javaScriptEnabled })).newPage();
  const two = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(one, demo("educator"));
  await signIn(two, demo("admin"));
  const topic = `Conflict check ${info.project.name} ${Date.now()}`;
  await one.goto("/courses/1/attendance");
  await one.locator("#field-date").fill(javaScriptEnabled ? "2026-11-19" : "2026-11-18");
  await one.locator("#field-starts_at").fill("09:00");
  await one.locator("#field-ends_at").fill("11:00");
  await one.locator("#field-topic").fill(topic);
  await one.getByRole("button", { name: "Add session" }).click();
  await expectHeading(one, `CPC30220-2026-S1: ${topic}`);
  await two.goto(one.url().split("?")[0]);
  await expectHeading(two, `CPC30220-2026-S1: ${topic}`);

  await one.getByRole("button", { name: /Mark the rest present and save/ }).click();
  await expect(one.getByRole("status").filter({ hasText: "Attendance saved" })).toBeVisible();

  await two.getByRole("group", { name: "Kai Baker" }).getByLabel("Late", { exact: true }).check();
  await two.getByRole("button", { name: /Mark the rest present and save/ }).click();
  await expect(two.getByRole("alert")).toContainText("Tom Becker saved marks for this session");

  await two.goto(one.url().split("?")[0]);
  await expect(two.getByRole("group", { name: "Kai Baker" }).getByLabel("Present", { exact: true })).toBeChecked();
});
