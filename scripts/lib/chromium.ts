// How the browser tests and npm run bench:ui start Chromium. Playwright cannot download its
// browsers here: the system Chromium (or PLAYWRIGHT_CHROMIUM_PATH), headless, without the
// background traffic (updates, sync, QUIC probing) that would disturb a test or a measurement.
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
