import { test, expect, type Browser, type Page } from "@playwright/test";
import * as fs from "node:fs";
import { demo, expectHeading, signIn, watchErrors } from "./helpers";

// Each project imports its own small framework, so the js and no-js runs map BSB40120
// (taught by Grace Okafor, educator2) to different frameworks and never meet.

async function personFor(browser: Browser, javaScriptEnabled: boolean, who: string): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(page, demo(who));
  return page;
}

async function importFramework(admin: Page, code: string): Promise<void> {
  await admin.goto("/skills/import");
  await expectHeading(admin, "Import a skills framework");
  await admin.locator("#skills-code").fill(code);
  await admin.locator("#skills-title").fill(`Business skills ${code}`);
  await admin.locator("#skills-csv").fill(
    "uri,label\n" +
      `http://example.org/${code}/think,think critically at work\n` +
      `http://example.org/${code}/relate,build business relationships\n` +
      `http://example.org/${code}/write,write complex documents\n`,
  );
  await admin.locator("#skills-check").click();
  await expect(admin.locator("#skills-summary")).toContainText(`version 1 of ${code}`);
  await admin.locator("#skills-apply").click();
  await admin.waitForURL(/\/skills\/\d+(\?.*)?$/);
}

async function addMapping(grace: Page, unit: RegExp, skill: string, strength: string, note: string) {
  const unitLabel = await grace.locator("#map-unit option").filter({ hasText: unit }).first().textContent();
  await grace.locator("#map-unit").selectOption({ label: unitLabel!.trim() });
  await grace.locator("#map-skill").selectOption({ label: skill });
  await grace.locator(`#map-strength-${strength}`).check();
  await grace.locator("#map-note").fill(note);
  await grace.locator("#map-add").click();
  await expect(grace.getByRole("status").filter({ hasText: "Mapping added" })).toBeVisible();
}

/** Opens the partner's notification about `title` (marking it read) and lands on the set. */
async function openNotification(page: Page, title: string) {
  await page.goto("/notifications");
  await expectHeading(page, "Notifications");
  await page.locator("#notifications li").filter({ hasText: title }).first().getByRole("button").click();
  await page.waitForURL(/\/mappings\/\d+/);
  await expectHeading(page, title);
}

test("an educator maps units, a partner requests a change, the educator resolves it and the partner approves", async ({ browser, javaScriptEnabled }, info) => {
  test.setTimeout(120_000);
  const code = `MAP-${javaScriptEnabled ? "JS" : "NOJS"}-${Date.now() % 100000}`;
  const title = `Business units → ${code}`;

  const admin = await personFor(browser, javaScriptEnabled, "admin");
  await importFramework(admin, code);

  // Grace starts the set and maps two units.
  const grace = await personFor(browser, javaScriptEnabled, "educator2");
  const graceErrors = watchErrors(grace);
  await grace.goto("/mappings");
  await expectHeading(grace, "Competency mappings");
  await grace.locator("#set-qualification").selectOption({ label: "BSB40120 Certificate IV in Business" });
  await grace.locator("#set-framework").selectOption({ label: `${code} Business skills ${code}` });
  await grace.locator("#set-title").fill(title);
  await grace.locator("#set-create").click();
  await grace.waitForURL(/\/mappings\/\d+/);
  await expectHeading(grace, title);
  await expect(grace.locator("#set-status")).toContainText("Draft");

  // A mapping without a strength is refused, with the reason beside the field.
  const unitLabel = await grace.locator("#map-unit option").filter({ hasText: /BSBCRT411/ }).first().textContent();
  await grace.locator("#map-unit").selectOption({ label: unitLabel!.trim() });
  await grace.locator("#map-skill").selectOption({ label: "think critically at work" });
  await grace.locator("#map-add").click();
  await expect(grace.locator("#map-strength-error")).toContainText("Choose how strongly");

  await addMapping(grace, /BSBCRT411/, "think critically at work", "develops", "Critical thinking tasks in the workplace project.");
  await addMapping(grace, /BSBTWK401/, "build business relationships", "introduces", "Stakeholder role-play.");
  await grace.locator("#view-matrix").click();
  await expect(grace.locator("#mapping-matrix")).toContainText("Develops");
  await grace.locator("#view-list").click();

  // Sent for review to the demo partner.
  await grace.getByLabel("Sam Lee (BuildRight Constructions)").check();
  await grace.locator("#send-review").click();
  await expect(grace.getByRole("status").filter({ hasText: "Sent for review" })).toBeVisible();
  await expect(grace.locator("#set-status")).toContainText("In review");
  await expect(grace.locator("#map-add")).toHaveCount(0);

  // The partner sees a badge, opens the notification, comments with a suggestion and requests changes.
  const sam = await personFor(browser, javaScriptEnabled, "partner");
  const samErrors = watchErrors(sam);
  await expect(sam.locator("#notifications-badge")).toBeVisible();
  await openNotification(sam, title);
  const mapping = sam.locator(".mapping").filter({ hasText: "think critically at work" });
  await mapping.locator("summary").filter({ hasText: "Comment on" }).click();
  await mapping.getByLabel("Comment").fill("Graduates must do this unsupervised: masters, not develops.");
  await mapping.getByLabel("Suggest a strength (optional)").selectOption("masters");
  await mapping.getByRole("button", { name: "Add comment" }).click();
  await expect(sam.getByRole("status").filter({ hasText: "Comment added" })).toBeVisible();
  await sam.locator("#request-changes").click();
  await expect(sam.locator("#changes-body-error")).toContainText("Say what should change");
  await sam.locator("#changes-body").fill("Please raise critical thinking to masters.");
  await sam.locator("#request-changes").click();
  await expect(sam.getByRole("status").filter({ hasText: "Changes requested" })).toBeVisible();
  await expect(sam.locator("#set-status")).toContainText("Changes requested");

  // Grace is told, changes the strength, resolves the comment and sends it back.
  await openNotification(grace, title);
  await expect(grace.locator("#set-status")).toContainText("Changes requested");
  const graceMapping = grace.locator(".mapping").filter({ hasText: "think critically at work" });
  await graceMapping.locator("summary").filter({ hasText: "Change or remove" }).click();
  await graceMapping.getByLabel("Masters").check();
  await graceMapping.getByRole("button", { name: "Save change" }).click();
  await expect(grace.getByRole("status").filter({ hasText: "Mapping changed" })).toBeVisible();
  const open = grace.locator(".comment--open").filter({ hasText: "masters, not develops" });
  await open.getByRole("button", { name: "Mark resolved" }).click();
  await expect(grace.getByRole("status").filter({ hasText: "Comment resolved" })).toBeVisible();
  await expect(grace.locator(".comment").filter({ hasText: "masters, not develops" })).toContainText("Resolved by Grace Okafor");
  await grace.locator("#send-review").click();
  await expect(grace.locator("#set-status")).toContainText("In review");

  // The partner approves: version 1 is frozen.
  await openNotification(sam, title);
  await expect(sam.locator(".mapping").filter({ hasText: "think critically at work" })).toContainText("Masters");
  await sam.locator("#approve").click();
  await expect(sam.getByRole("status").filter({ hasText: "Approved" })).toBeVisible();
  await expect(sam.locator("#frozen-note")).toContainText("approved by Sam Lee");

  // For Grace nothing in version 1 can change now; a new version is a draft copy.
  await grace.reload();
  await expect(grace.locator("#set-status")).toContainText("Approved");
  await expect(grace.locator("#map-add")).toHaveCount(0);
  await expect(grace.locator(".mapping__edit")).toHaveCount(0);
  await expect(grace.locator("#start-version")).toHaveText("Start version 2");

  // The approved version exports as CSV for an accreditation submission.
  const [download] = await Promise.all([grace.waitForEvent("download"), grace.locator("#export-csv").click()]);
  const path = await download.path();
  const csv = fs.readFileSync(path!, "utf8");
  expect(csv).toContain("unit_code");
  expect(csv).toContain("think critically at work");
  expect(csv).toContain("masters");

  expect(graceErrors).toEqual([]);
  expect(samErrors).toEqual([]);
  info.annotations.push({ type: "set", description: title });
});

test("a partner sees attainment per skill for a cohort, and a cohort of 3 shows no figures", async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page, demo("partner"));
  await page.goto("/mappings");
  await page.getByRole("link", { name: "Carpentry units → construction industry skills" }).click();
  await expect(page.locator("#frozen-note")).toBeVisible();
  await page.locator("#attainment-link").click();
  await expectHeading(page, "Attainment by skill");

  const rpl = (await page.locator("#cohort option").filter({ hasText: "CPC30220-2026-RPL" }).textContent())!.trim();
  await page.locator("#cohort").selectOption({ label: rpl });
  await page.locator("#show-cohort").click();
  await expect(page.locator("#small-cohort")).toContainText("has 3 learners");
  await expect(page.locator("#attainment-table")).toHaveCount(0);
  await expect(page.locator(".chart-box svg")).toHaveCount(0);

  const s1 = (await page.locator("#cohort option").filter({ hasText: "CPC30220-2026-S1" }).textContent())!.trim();
  await page.locator("#cohort").selectOption({ label: s1 });
  await page.locator("#show-cohort").click();
  await expect(page.locator(".chart-box svg")).toBeVisible();
  await expect(page.locator("#attainment-table")).toContainText(/\d+ of \d+/);
  await expect(page.locator("#small-cohort")).toHaveCount(0);
  // Counts only: no learner's name anywhere on the page.
  await expect(page.locator("main")).not.toContainText("Mia Nguyen");
  expect(errors).toEqual([]);
});

test("a learner sees the industry skills their achieved units map to", async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page, demo("student"));
  await page.goto("/my/progress");
  await expectHeading(page, "My progress");
  const skills = page.locator("#industry-skills");
  await expect(page.getByRole("heading", { name: "Industry skills from my units" })).toBeVisible();
  await expect(skills.locator("li").first()).toContainText("through CPC");
  await page.goto("/my/portfolio");
  await expect(page.locator("#industry-skills li").first()).toBeVisible();
  expect(errors).toEqual([]);
});
