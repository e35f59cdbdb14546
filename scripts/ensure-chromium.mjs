// Browser tests drive Debian's Chromium (never a downloaded browser), with a CJK font so the
// screenshots kept as artifacts show the Chinese UI. Installs what is missing when we are
// allowed to (root with apt-get); otherwise says what to install.
import { execSync } from "node:child_process";
import fs from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CJK_FONT_DIR = "/usr/share/fonts/truetype/wqy";

const missing = [];
if (!fs.existsSync(CHROMIUM)) missing.push("chromium");
if (!process.env.CHROMIUM_PATH && !fs.existsSync(CJK_FONT_DIR)) missing.push("fonts-wqy-microhei");

if (missing.length) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && fs.existsSync("/usr/bin/apt-get")) {
    process.stderr.write(`Installing Debian packages for the browser tests: ${missing.join(" ")}…\n`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`, {
      stdio: ["ignore", "ignore", "inherit"],
    });
  } else if (missing.includes("chromium")) {
    process.stderr.write(`Chromium not found at ${CHROMIUM}. Install it (Debian: sudo apt-get install chromium fonts-wqy-microhei) or set CHROMIUM_PATH.\n`);
    process.exit(1);
  } else {
    process.stderr.write("No CJK font found: screenshots will show boxes instead of Chinese (Debian: fonts-wqy-microhei).\n");
  }
}
