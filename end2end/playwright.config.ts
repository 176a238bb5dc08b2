import { defineConfig } from "@playwright/test";
import * as path from "node:path";
import * as os from "node:os";

// The release server, started on a throwaway database for this run.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const serverBin = process.env.TRACKRECORD_SERVER_BIN;
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, "../target/site");
const dataDir = path.join(os.tmpdir(), `trackrecord-e2e-${process.pid}`);

if (!serverBin) {
  throw new Error("Set TRACKRECORD_SERVER_BIN to the release server binary (make test does this).");
}

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "no-js", use: { javaScriptEnabled: false } },
    { name: "js", use: { javaScriptEnabled: true } },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && mkdir -p "${dataDir}" && exec "${serverBin}"`,
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      TRACKRECORD_ADDR: `127.0.0.1:${port}`,
      TRACKRECORD_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite://${dataDir}/e2e.sqlite?mode=rwc`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_OUTPUT_NAME: "trackrecord",
      RUST_LOG: "warn",
      TRACKRECORD_DEMO: "true",
    },
  },
});
