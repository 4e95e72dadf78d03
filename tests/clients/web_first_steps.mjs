// A newcomer's first 30 seconds on Woolly's web interface, in a real browser: from the front
// page, sign up, confirm the address from the e-mail, and publish a first post; then the other
// pages, and an app's authorization page answering Enter in its password field, before and
// after turning two-factor sign-in on. With JavaScript on, a post made in another tab reaches
// the open home timeline, behind its "show new posts" button. Counts the
// interactions (clicks and typed fields) and the wall time, and prints both. With JavaScript on,
// it also checks every page it passes with axe-core (no serious or critical violation), and
// fails on any console error (a content security policy violation is one).
//
// Usage: node web_first_steps.mjs BASE_URL CHROMIUM js|nojs SCREENSHOT_DIR OTHER_SERVER_URL [ADMIN]
//
// OTHER_SERVER_URL is a second Woolly server with a user `bea`: the newcomer follows her from
// her profile there, through the "follow from your own server" box, signed in on their own.
// ADMIN is the username of an admin of BASE_URL (password "a long enough password") with an
// open report waiting: signed in as them, the moderators' pages are checked too.
//
// The confirmation link comes from the test that runs this (crates/woolly/tests/browser.rs):
// the script prints "AWAITING LINK FOR <address>" and reads the link from its standard input.
// playwright-core and axe-core are resolved from the Node binary's node_modules, as
// masto_client.mjs resolves masto (see there).

import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import { createHmac } from "node:crypto";
import { createInterface } from "node:readline";

const require = createRequire(process.execPath);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [base, executablePath, mode, screenshots, otherServer, admin] = process.argv.slice(2);
const withScripts = mode === "js";
mkdirSync(screenshots, { recursive: true });

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

// The code an authenticator app shows for a base32 secret, `ahead` periods of 30 s from now.
function totp(secret, ahead = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/[\s=]/g, "").toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0"))
    .join("");
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + ahead));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, "0");
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function askForLink(address) {
  console.log(`AWAITING LINK FOR ${address}`);
  const { value, done } = await lines.next();
  check(!done && value, "a link on standard input");
  return value.trim();
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const problems = [];
let interactions = 0;
try {
  // A phone-sized window: the layout must work at 390 px.
  const context = await browser.newContext({
    javaScriptEnabled: withScripts,
    viewport: { width: 390, height: 844 },
    locale: "en-GB",
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script error on ${page.url()}: ${error}`));

  const audited = new Set();
  // Time spent checking pages (screenshots, axe-core), which the reported time leaves out.
  let checking = 0;
  async function audit(name) {
    const began = Date.now();
    try {
      await auditPage(name);
    } finally {
      checking += Date.now() - began;
    }
  }
  async function auditPage(name) {
    await page.screenshot({ path: `${screenshots}/${mode}-${name}.png`, fullPage: true });
    if (!withScripts || audited.has(name)) return;
    audited.add(name);
    // Evaluated through the DevTools protocol, which the page's policy does not govern.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
    for (const violation of result.violations) {
      if (violation.impact === "serious" || violation.impact === "critical") {
        const where = violation.nodes.map((node) => node.target.join(" ")).join(", ");
        problems.push(`axe on ${name}: ${violation.id} (${violation.impact}): ${violation.help} at ${where}`);
      }
    }
  }
  const click = async (locator) => { interactions += 1; await locator.click(); };
  const fill = async (locator, text) => { interactions += 1; await locator.fill(text); };

  const started = Date.now();
  await page.goto(base);
  await audit("landing");
  await click(page.getByRole("link", { name: "Create an account" }).first());
  await page.waitForURL("**/auth/sign_up");
  await audit("sign-up");
  const username = `newcomer_${mode}`;
  const address = `${username}@example.org`;
  await fill(page.getByLabel("Username"), username);
  await fill(page.getByLabel("E-mail address"), address);
  await fill(page.getByLabel("Password", { exact: true }), "a long enough password");
  interactions += 1;
  await page.getByLabel("I accept the rules").check();
  await click(page.getByRole("button", { name: "Create an account" }));
  await page.waitForURL("**/auth/setup");
  check((await page.textContent("main")).includes(address), "the setup page names the address");
  await audit("check-your-e-mail");

  const link = await askForLink(address);
  interactions += 1; // opening the link in the e-mail
  await page.goto(link);
  await page.waitForURL("**/start");
  await audit("first-steps");
  await click(page.getByRole("link", { name: "Go to your home timeline" }));
  await page.waitForURL("**/home");
  await audit("home");
  const text = `Hello from a browser ${withScripts ? "with" : "without"} JavaScript`;
  if (withScripts) {
    // The composer has the focus: typing goes straight into it.
    interactions += 1;
    await page.keyboard.type(text);
    check((await page.inputValue("#status")) === text, "the composer had the focus");
  } else {
    await fill(page.getByLabel("Your post"), text);
  }
  await click(page.getByRole("button", { name: "Publish" }));
  await page.waitForURL("**/home");
  check((await page.textContent(".timeline")).includes(text), "the first post shows on the timeline");
  const wall = (Date.now() - started) / 1000;
  const checked = checking / 1000;
  const seconds = wall - checked;
  await audit("home-after-first-post");

  if (withScripts) {
    // A post written in another tab reaches the open home timeline, offered behind a button.
    const listening = page.waitForResponse((response) => response.url().includes("/live?stream=user"));
    await page.goto(base + "/home");
    await listening;
    const writer = await context.newPage();
    await writer.goto(base + "/home");
    await writer.getByLabel("Your post").fill("Written in another tab");
    await writer.getByRole("button", { name: "Publish" }).click();
    await writer.waitForURL("**/home");
    await writer.close();
    await page.getByRole("button", { name: "Show 1 new post" }).click();
    check((await page.textContent(".timeline article")).includes("Written in another tab"), "the new post is shown first");
    await audit("home-live");
  }

  // The member's other pages, with the first post on them.
  const postLink = await page.locator(".status a.when").first().getAttribute("href");
  for (const [name, path] of [
    ["thread", postLink],
    ["profile", `/@${username}`],
    ["local", "/public/local"],
    ["federated", "/public"],
    ["notifications", "/notifications"],
    ["notification-requests", "/notifications/requests"],
    ["search", "/search?q=hello"],
    ["explore", "/explore"],
    ["bookmarks", "/bookmarks"],
    ["settings-profile", "/settings/profile"],
    ["settings-preferences", "/settings/preferences"],
    ["settings-password", "/settings/password"],
    ["settings-sessions", "/settings/sessions"],
    ["settings-blocks", "/settings/blocks"],
    ["settings-two-factor", "/settings/two_factor"],
    ["settings-filters", "/settings/filters"],
    ["settings-migration", "/settings/migration"],
    ["settings-imports", "/settings/imports"],
    ["hashtag", "/tags/introduction"],
    ["settings-hashtags", "/settings/hashtags"],
    ["invites", "/invites"],
    ["lists", "/lists"],
    ["followers", `/@${username}/followers`],
    ["profile-replies", `/@${username}/with_replies`],
    ["profile-media", `/@${username}/media`],
    ["profile-tagged", `/@${username}/tagged/introduction`],
    ["first-steps-again", "/start"],
  ]) {
    await page.goto(new URL(path, base).href);
    await audit(name);
  }
  // Someone of another server followed from her profile there: the box sends the browser to
  // this server's /authorize_interaction, where the member (signed in here) follows her.
  await page.goto(`${otherServer}/@bea`);
  await page.getByLabel("Follow or answer from your own server").fill(`${username}@${new URL(base).host}`);
  await page.getByRole("button", { name: "Go to my server" }).click();
  await page.waitForURL(`${base}/authorize_interaction**`);
  await audit("authorize-interaction");
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  await page.waitForURL(`${base}/authorize_interaction**`);
  check((await page.textContent("main")).includes("You follow this account, or asked to."), "the follow was sent");
  let arrived = false;
  for (let attempt = 0; attempt < 50 && !arrived; attempt += 1) {
    const followers = await fetch(`${otherServer}/@bea/followers`);
    arrived = (await followers.text()).includes(`@${username}@`);
    if (!arrived) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  check(arrived, "the follow reached the other server");

  // The pages a visitor reaches from the front page, and the member's sign-out.
  for (const [name, path] of [["about", "/about"], ["privacy-policy", "/privacy-policy"], ["forgot-password", "/auth/password/new"]]) {
    await page.goto(base + path);
    await audit(name);
  }
  await page.goto(base + "/home");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(base + "/");
  await page.goto(base + "/explore");
  await audit("explore-visitor");
  await page.goto(base + "/auth/sign_in");
  await audit("sign-in");

  // The moderators' pages, as an admin sees them (one report waits, with its posts).
  if (admin) {
    await page.getByLabel("E-mail address or username").fill(admin);
    await page.getByLabel("Password", { exact: true }).fill("a long enough password");
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.waitForURL((url) => !url.pathname.startsWith("/auth/sign_in"));
    await page.goto(base + "/admin/accounts");
    await audit("admin-accounts");
    const accountPage = await page.locator('main a[href^="/admin/accounts/"]').first().getAttribute("href");
    for (const [name, path] of [
      ["admin-account", accountPage],
      ["admin-reports", "/admin/reports"],
      ["admin-dashboard", "/admin/dashboard"],
      ["admin-appeals", "/admin/appeals"],
      ["admin-audit", "/admin/audit"],
      ["admin-rules", "/admin/rules"],
      ["admin-trends", "/admin/trends"],
      ["admin-announcements", "/admin/announcements"],
      ["admin-servers", "/admin/domain_blocks"],
    ]) {
      await page.goto(new URL(path, base).href);
      await audit(name);
    }
    check((await page.goto(base + "/admin/reports"), await page.textContent("main")).includes("Remove these posts"), "the report's posts can be acted on");
    await page.goto(base + "/home");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(base + "/");
    await page.goto(base + "/auth/sign_in");
  }

  // An app asks for the account: signing in on the authorization page and pressing Enter in
  // the password field authorizes it (Authorize is the form's first button).
  const registered = await fetch(base + "/api/v1/apps", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "Browser test", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read" }),
  });
  const app = await registered.json();
  await page.goto(`${base}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read`);
  await audit("authorize");
  await page.getByLabel("E-mail address or username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.waitForSelector("#authorization-code");
  const code = (await page.textContent("#authorization-code")).trim();
  check(code.length === 43, `an authorization code (${code})`);
  const token = await fetch(base + "/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "authorization_code", code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: "urn:ietf:wg:oauth:2.0:oob" }),
  });
  check(token.status === 200, `the code is exchanged for a token (${token.status})`);
  await audit("authorization-code");

  // Two-factor sign-in turned on in the settings; the authorization page then asks for a code,
  // and Enter in the code's field authorizes.
  await page.goto(base + "/auth/sign_in?return_to=/settings/two_factor");
  await page.getByLabel("E-mail address or username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.waitForURL("**/settings/two_factor");
  await page.getByRole("button", { name: "Set it up" }).click();
  const secret = (await page.textContent("#two-factor-secret")).trim();
  await page.getByLabel("Code from the app").fill(totp(secret));
  await page.getByRole("button", { name: "Turn it on" }).click();
  check((await page.textContent("main")).includes("Two-factor sign-in is on."), "two-factor sign-in turned on");
  await audit("two-factor-recovery-codes");
  await page.goto(base + "/home");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(base + "/");
  await page.goto(`${base}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read`);
  await page.getByLabel("E-mail address or username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  // The next period's code: the one that turned it on may not serve twice.
  await page.getByLabel("Two-factor code").fill(totp(secret, 1));
  await page.getByLabel("Two-factor code").press("Enter");
  await page.waitForSelector("#authorization-code");
  check((await page.textContent("#authorization-code")).trim().length === 43, "a code after the second factor");

  console.log(`first post: ${interactions} interactions, ${seconds.toFixed(1)} s (${mode}; ${wall.toFixed(1)} s with the ${checked.toFixed(1)} s of checking pages on the way)`);
  check(interactions <= 10, `at most 10 interactions (${interactions})`);
  check(wall < 30, `under 30 seconds, checks included (${wall})`);
  if (withScripts) {
    console.log(`axe-core checked ${audited.size} pages: ${[...audited].join(", ")}`);
    check(audited.size >= (admin ? 50 : 41), "axe-core ran on every page");
  }
  check(problems.length === 0, `no console errors and no serious accessibility violations:\n${problems.join("\n")}`);
  console.log(`web first steps (${mode}): all checks passed`);
} finally {
  await browser.close();
}
process.exit(0);
