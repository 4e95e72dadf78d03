// Drives a Woolly server with megalodon, the JavaScript client library behind Whalebird and
// Fedistar.
//
// Usage: node megalodon_client.mjs BASE_URL EMAIL PASSWORD
//
// Run by crates/woolly/tests/clients.rs against a fresh server; exits non-zero (with a stack
// trace) on the first behaviour megalodon does not accept. megalodon only offers the browser's
// authorization-code flow, so the token comes from the password grant with plain fetch, as a bot
// would get it; everything else goes through megalodon, streaming included.
//
// megalodon is installed beside masto.js and the Node 22 binary, so it is loaded from the running
// Node binary rather than from this file (see masto_client.mjs for why). A require() from there
// gets megalodon's CommonJS build, whose default export import() would wrap once more.

import { createRequire } from "node:module";

const { default: generator, detector } = createRequire(process.execPath)("megalodon");

const SCOPES = ["read", "write", "follow", "push"];
const OOB = "urn:ietf:wg:oauth:2.0:oob";
const APP_NAME = "Woolly megalodon test";
const STREAM_TIMEOUT_MS = 10_000;

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

// Registers the app through megalodon (whose registerApp also builds the authorization URL a
// browser would open), then trades the account's password for a token.
async function logIn(url, email, password) {
  const app = await generator("mastodon", url).registerApp(APP_NAME, {
    scopes: SCOPES,
    redirect_uris: OOB,
    website: "https://example.org/client",
  });
  check(app.client_id && app.client_secret, "the app has credentials");
  const authorize = new URL(app.url);
  check(authorize.pathname === "/oauth/authorize", `authorization URL ${app.url}`);
  check(authorize.searchParams.get("client_id") === app.client_id, "the authorization URL names the app");

  const response = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      client_id: app.client_id,
      client_secret: app.client_secret,
      redirect_uri: OOB,
      scope: SCOPES.join(" "),
      username: email,
      password,
    }),
  });
  const token = await response.json();
  check(response.ok, `token request: ${response.status} ${JSON.stringify(token)}`);
  check(token.token_type.toLowerCase() === "bearer", `token type ${token.token_type}`);
  return token.access_token;
}

async function readInstance(client, url) {
  const { data: instance } = await client.getInstance();
  check(instance.uri === new URL(url).host, `instance uri ${instance.uri}`);
  check(instance.version.startsWith("4."), `instance version ${instance.version}`);
  check(instance.urls?.streaming_api?.startsWith("ws"), `urls.streaming_api ${instance.urls?.streaming_api}`);
  const streaming = await client.streamingURL();
  check(streaming === instance.urls.streaming_api, `streamingURL ${streaming}`);
}

async function useStatuses(client, me) {
  const { data: posted } = await client.postStatus("Hello from megalodon #megalodon", {
    spoiler_text: "test",
    visibility: "unlisted",
  });
  check(posted.spoiler_text === "test", `spoiler_text ${posted.spoiler_text}`);
  check(posted.visibility === "unlisted", `visibility ${posted.visibility}`);
  check(posted.account.id === me.id, "the author is me");
  check(posted.tags.map((tag) => tag.name).includes("megalodon"), "the hashtag is parsed");
  check(posted.application?.name === APP_NAME, "the posting app is shown");

  const { data: fetched } = await client.getStatus(posted.id);
  check(fetched.id === posted.id && fetched.content === posted.content, "read back");

  const { data: favourited } = await client.favouriteStatus(posted.id);
  check(favourited.favourited === true, "favourite");
  check(favourited.favourites_count === 1, `favourites_count ${favourited.favourites_count}`);

  const { data: home } = await client.getHomeTimeline({ limit: 40 });
  check(home.some((s) => s.id === posted.id), "own posts are in the home timeline");

  const { data: publicPost } = await client.postStatus("a public megalodon post", { visibility: "public" });
  const { data: local } = await client.getLocalTimeline({ limit: 40 });
  check(local.some((s) => s.id === publicPost.id), "public posts are in the local timeline");
  check(!local.some((s) => s.id === posted.id), "unlisted posts are not in the local timeline");
  const { data: federated } = await client.getPublicTimeline({ limit: 40 });
  check(federated.some((s) => s.id === publicPost.id), "public posts are in the federated timeline");

  const { data: notifications } = await client.getNotifications();
  check(Array.isArray(notifications), "notifications are a list");
  check(notifications.length === 0, `no notifications for my own actions: ${JSON.stringify(notifications)}`);

  const { data: results } = await client.search(me.username, { type: "accounts" });
  check(results.accounts.some((a) => a.id === me.id), `search finds ${me.username}`);
  const { data: tags } = await client.search("megalodon", { type: "hashtags" });
  check(tags.hashtags.some((t) => t.name === "megalodon"), "search finds the hashtag");
}

// Opens the local public stream, posts once it is connected, and waits for the post's `update`.
async function streamLocalTimeline(client) {
  const stream = await client.localStreaming();
  try {
    const received = await new Promise((resolve, reject) => {
      let postedId = null;
      const seen = new Set();
      const timer = setTimeout(
        () => reject(new Error(`no update for ${postedId} within ${STREAM_TIMEOUT_MS} ms; saw ${[...seen]}`)),
        STREAM_TIMEOUT_MS,
      );
      const finish = (status) => {
        clearTimeout(timer);
        resolve(status);
      };
      stream.on("update", (status) => {
        seen.add(status.id);
        if (postedId !== null && status.id === postedId) {
          finish(status);
        }
      });
      stream.on("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`stream error: ${error?.message ?? error}`));
      });
      stream.on("parser-error", (error) => {
        clearTimeout(timer);
        reject(new Error(`stream parser error: ${error?.message ?? error}`));
      });
      stream.on("connect", async () => {
        try {
          const { data } = await client.postStatus("streamed through megalodon", { visibility: "public" });
          postedId = data.id;
          if (seen.has(postedId)) {
            finish(data);
          }
        } catch (error) {
          clearTimeout(timer);
          reject(error);
        }
      });
    });
    check(received.content.includes("streamed through megalodon"), `streamed content ${received.content}`);
    check(received.visibility === "public", `streamed visibility ${received.visibility}`);
  } finally {
    stream.stop();
  }
}

async function main(url, email, password) {
  check(url && email && password, "usage: BASE_URL EMAIL PASSWORD");

  const software = await detector(url);
  check(software === "mastodon", `detector says ${software}`);

  const token = await logIn(url, email, password);
  const client = generator("mastodon", url, token);

  const { data: me } = await client.verifyAccountCredentials();
  check(me.source?.privacy === "public", "source.privacy");
  check(!me.acct.includes("@"), `a local acct: ${me.acct}`);

  await readInstance(client, url);
  await useStatuses(client, me);
  await streamLocalTimeline(client);

  console.log("megalodon: all checks passed");
  // megalodon's stream leaves a ping timer behind after stop().
  process.exit(0);
}

await main(...process.argv.slice(2));
