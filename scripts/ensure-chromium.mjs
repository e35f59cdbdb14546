// Browser tests drive Debian's Chromium (never a downloaded browser). Installs it when missing
// and we are allowed to (root with apt-get); otherwise says what to install.
import { execSync } from "node:child_process";
import fs from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && fs.existsSync("/usr/bin/apt-get")) {
    process.stderr.write("Installing Debian's chromium for the browser tests…\n");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: ["ignore", "ignore", "inherit"] });
  } else {
    process.stderr.write(`Chromium not found at ${CHROMIUM}. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.\n`);
    process.exit(1);
  }
}
