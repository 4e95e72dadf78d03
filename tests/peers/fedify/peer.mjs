// A Fedify-based ActivityPub peer for Woolly's federation tests.
//
// Start:   node peer.mjs [--port 0] [--host 127.0.0.1] [--username peer]
//                        [--spec draft-cavage|rfc9421]
// Once it listens it prints one line on stdout:
//   {"ready":true,"origin":"http://127.0.0.1:PORT","actor":"<actor id>","handle":"peer@127.0.0.1:PORT"}
// and then reads one JSON command a line on stdin, answering each with one
// JSON line on stdout, in order (commands run one at a time).  Every reply
// has "ok":true, or "error":"..." instead.  See README.md for the protocol.
//
// Logging goes to stderr only (WOOLLY_PEER_LOG=debug|info|warning turns on
// Fedify's own logs); stdout carries nothing but protocol lines.

import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import http from "node:http";
import process from "node:process";
import readline from "node:readline";

import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Flag,
  Follow,
  isActor,
  Like,
  Mention,
  Move,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Tombstone,
  Undo,
  Update,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { configure } from "@logtape/logtape";

// ---------------------------------------------------------------------------
// Output discipline: stdout is the protocol channel.

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}
function log(...args) {
  process.stderr.write(`[fedify-peer] ${args.join(" ")}\n`);
}
console.log = console.error;
console.info = console.error;
console.debug = console.error;

// ---------------------------------------------------------------------------
// Arguments.

function parseArgs(argv) {
  const opts = { port: 0, host: "127.0.0.1", username: "peer", spec: "draft-cavage" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--port") opts.port = Number.parseInt(next(), 10);
    else if (a === "--host") opts.host = next();
    else if (a === "--username") opts.username = next();
    else if (a === "--spec") opts.spec = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error("--port must be 0..65535");
  }
  opts.spec = normalizeSpec(opts.spec);
  return opts;
}

// The two HTTP signature specifications Fedify speaks.
const CAVAGE = "draft-cavage-http-signatures-12";
const RFC9421 = "rfc9421";

function normalizeSpec(spec) {
  if (spec == null) return null;
  const s = String(spec).toLowerCase();
  if (s === "draft-cavage" || s === "cavage" || s === CAVAGE) return CAVAGE;
  if (s === "rfc9421" || s === "rfc-9421" || s === "9421") return RFC9421;
  throw new Error(`unknown signature spec ${JSON.stringify(spec)} (draft-cavage or rfc9421)`);
}
function shortSpec(spec) {
  return spec === CAVAGE ? "draft-cavage" : spec;
}

// Which scheme a request's headers carry.
function signatureSchemeOf(headers) {
  if (headers.get("signature-input") != null) return "rfc9421";
  if (headers.get("signature") != null) return "draft-cavage";
  if (headers.get("authorization")?.toLowerCase().startsWith("signature ")) return "draft-cavage";
  return "none";
}

// ---------------------------------------------------------------------------
// Per-operation state: which spec outgoing requests knock with first, and a
// log of the HTTP requests this operation made.

const als = new AsyncLocalStorage();
let defaultSpec = CAVAGE;

// Fedify remembers, per remote origin, which signature spec worked last
// (key prefix `httpMessageSignaturesSpec`), and otherwise uses `firstKnock`.
// So that every send honours the spec its command asked for, this store
// answers that key with the current operation's spec and never remembers.
// Fedify still double-knocks: if the first attempt gets 400/401/>401 it
// retries once with the other spec; the `requests` log shows that.
const SPEC_PREFIX = ["_woolly_peer", "httpMessageSignaturesSpec"];

class PeerKvStore extends MemoryKvStore {
  #isSpecKey(key) {
    return key.length > SPEC_PREFIX.length && SPEC_PREFIX.every((p, i) => key[i] === p);
  }
  async get(key) {
    if (this.#isSpecKey(key)) return als.getStore()?.spec ?? defaultSpec;
    return await super.get(key);
  }
  async set(key, value, options) {
    if (this.#isSpecKey(key)) return;
    return await super.set(key, value, options);
  }
}

// Every HTTP request Fedify (or this script) makes goes through fetch; keep
// a record of each: method, URL, signature scheme, response status.
const sentRequests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async function recordingFetch(input, init) {
  const req = input instanceof Request ? input : null;
  const method = (init?.method ?? req?.method ?? "GET").toUpperCase();
  const url = req?.url ?? String(input);
  const headers = new Headers(init?.headers ?? req?.headers ?? {});
  const entry = { method, url, signature: signatureSchemeOf(headers) };
  sentRequests.push(entry);
  if (sentRequests.length > 2000) sentRequests.shift();
  als.getStore()?.requests?.push(entry);
  try {
    const res = await realFetch(input, init);
    entry.status = res.status;
    return res;
  } catch (e) {
    entry.error = String(e?.message ?? e);
    throw e;
  }
};

// ---------------------------------------------------------------------------
// Logging (stderr only), opt-in.

const logLevel = process.env.WOOLLY_PEER_LOG;
{
  const stderrSink = (record) => {
    const msg = record.message.map((m) => (typeof m === "string" ? m : safeInspect(m))).join("");
    process.stderr.write(`${record.level.toUpperCase()} ${record.category.join(".")}: ${msg}\n`);
  };
  await configure({
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { stderr: stderrSink },
    loggers: [
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
      ...(logLevel ? [{ category: "fedify", lowestLevel: logLevel, sinks: ["stderr"] }] : []),
    ],
  });
}
function safeInspect(v) {
  try {
    if (v instanceof URL) return v.href;
    if (v instanceof Error) return v.stack ?? v.message;
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

// ---------------------------------------------------------------------------
// State.

const opts = parseArgs(process.argv.slice(2));
defaultSpec = opts.spec;
const ID = opts.username;

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const profile = {
  name: "Fedify peer",
  summary: "A Fedify peer for Woolly's tests",
  // alsoKnownAs and movedTo (Fedify's `aliases` and `successor`).
  aliases: [],
  successor: null,
};
const startedAt = Temporal.Now.instant();

const followers = new Map(); // actor id -> Recipient { id, inboxId, endpoints }
const following = new Map(); // actor id -> { follow: id, accepted: bool|null, actor: Actor }
const notes = new Map(); // note id -> { note: Note, deleted: bool, audience, extra: Actor[] }
const activities = new Map(); // activity id -> { activity, recipients: Actor[] }
const received = []; // records of activities that reached the inbox

// ---------------------------------------------------------------------------
// Federation.

let origin; // set once listening
let federation;

function buildFederation() {
  const fed = createFederation({
    kv: new PeerKvStore(),
    kvPrefixes: { httpMessageSignaturesSpec: SPEC_PREFIX },
    origin,
    allowPrivateAddress: true,
    skipSignatureVerification: false,
    firstKnock: defaultSpec,
  });

  fed
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== ID) return null;
      return await buildActor(ctx);
    })
    .setKeyPairsDispatcher((_ctx, identifier) => (identifier === ID ? [keyPair] : []));

  fed.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (ctx, values) => {
    if (values.identifier !== ID) return null;
    const entry = notes.get(ctx.getObjectUri(Note, values).href);
    if (entry == null || entry.deleted) return null;
    return entry.note;
  });

  fed
    .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
      if (identifier !== ID) return null;
      return { items: [...followers.values()] };
    })
    .setCounter((_ctx, identifier) => (identifier === ID ? followers.size : null));

  fed
    .setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) => {
      if (identifier !== ID) return null;
      const items = [...following.entries()].filter(([, f]) => f.accepted).map(([id]) => new URL(id));
      return { items };
    })
    .setCounter((_ctx, identifier) =>
      identifier === ID ? [...following.values()].filter((f) => f.accepted).length : null
    );

  fed
    .setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) =>
      identifier === ID ? { items: [] } : null
    )
    .setCounter((_ctx, identifier) => (identifier === ID ? 0 : null));

  fed
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      const rec = await record(ctx, follow);
      const target = ctx.parseUri(follow.objectId);
      if (target?.type !== "actor" || target.identifier !== ID) {
        rec.note = "Follow of someone else; ignored";
        return;
      }
      let follower = null;
      try {
        follower = await follow.getActor(ctx);
      } catch (e) {
        rec.note = `could not fetch the follower: ${e?.message ?? e}`;
        return;
      }
      if (follower == null || follower.id == null) {
        rec.note = "could not fetch the follower";
        return;
      }
      // A plain Recipient (not the Actor) so the followers collection lists ids.
      followers.set(follower.id.href, {
        id: follower.id,
        inboxId: follower.inboxId,
        endpoints: { sharedInbox: follower.endpoints?.sharedInbox ?? null },
      });
      const accept = new Accept({
        id: newActivityId(ctx),
        actor: ctx.getActorUri(ID),
        object: follow,
        to: follower.id,
      });
      // A failed Accept delivery is recorded, not thrown: the Follow itself
      // was received fine and its sender should get 202.
      const requests = [];
      try {
        await als.run({ ...als.getStore(), requests }, () =>
          ctx.sendActivity({ identifier: ID }, follower, accept, { immediate: true }),
        );
        rec.accepted = accept.id.href;
      } catch (e) {
        rec.accept_error = String(e?.message ?? e);
        log("sending Accept failed:", rec.accept_error);
      }
      rec.accept_requests = requests;
    })
    .on(Undo, async (ctx, undo) => {
      const rec = await record(ctx, undo);
      // Undo(Follow): drop the follower.  Only the embedded object is looked
      // at, without fetching anything.
      const inner = rec.object;
      if (inner?.type === "Follow" && undo.actorId != null) {
        if (followers.delete(undo.actorId.href)) rec.note = "follower removed";
      }
    })
    .on(Accept, async (ctx, accept) => {
      const rec = await record(ctx, accept);
      markFollow(rec, accept.actorId, true);
    })
    .on(Reject, async (ctx, reject) => {
      const rec = await record(ctx, reject);
      markFollow(rec, reject.actorId, false);
    })
    .on(Activity, async (ctx, activity) => {
      await record(ctx, activity);
    })
    .onUnverifiedActivity(async (ctx, activity, reason) => {
      const rec = await record(ctx, activity, false);
      rec.reason = jsonSafe(reason);
      // Returning nothing lets Fedify answer 401.
    })
    .onError((_ctx, error) => {
      log("inbox error:", error?.stack ?? String(error));
    });

  return fed;
}

function markFollow(rec, actorId, accepted) {
  const objectId = rec.object?.id;
  for (const [id, f] of following) {
    if ((objectId != null && f.follow === objectId) || (objectId == null && actorId?.href === id)) {
      f.accepted = accepted;
    }
  }
}

async function buildActor(ctx) {
  const keys = await ctx.getActorKeyPairs(ID);
  return new Person({
    id: ctx.getActorUri(ID),
    preferredUsername: ID,
    name: profile.name,
    summary: profile.summary,
    url: ctx.getActorUri(ID),
    inbox: ctx.getInboxUri(ID),
    outbox: ctx.getOutboxUri(ID),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    followers: ctx.getFollowersUri(ID),
    following: ctx.getFollowingUri(ID),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: false,
    discoverable: true,
    published: startedAt,
    aliases: profile.aliases,
    successor: profile.successor,
  });
}

function newActivityId(ctx) {
  return new URL(`${ctx.getActorUri(ID).href}/activities/${randomUUID()}`);
}

// A JSON record of an activity that reached the inbox.
async function record(ctx, activity, verified = true) {
  const store = als.getStore();
  let json = null;
  try {
    json = await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  } catch (e) {
    json = { error: `could not serialize: ${e?.message ?? e}` };
  }
  const rec = {
    seq: received.length,
    type: typeName(json?.type) ?? activity.constructor?.name ?? null,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: summarize(json?.object),
    verified,
    signature: store?.incoming?.signature ?? null,
    inbox: store?.incoming?.path ?? null,
    recipient: ctx.recipient ?? null,
    at: new Date().toISOString(),
    raw: json,
  };
  received.push(rec);
  log(`received ${rec.type} ${rec.id ?? ""} from ${rec.actor ?? "?"} (verified=${verified}, ${rec.signature})`);
  return rec;
}

function typeName(t) {
  if (Array.isArray(t)) return t.map(String).join(",");
  return t == null ? null : String(t);
}

function summarize(o) {
  if (o == null) return null;
  if (Array.isArray(o)) return o.map(summarize);
  if (typeof o === "string") return { id: o };
  if (typeof o !== "object") return { value: o };
  const s = { id: o.id ?? null, type: typeName(o.type) };
  for (const k of ["content", "name", "summary", "url"]) {
    if (o[k] != null) s[k] = o[k];
  }
  // References to other objects: their ids only.
  for (const k of ["inReplyTo", "attributedTo", "actor"]) {
    if (o[k] != null) s[k] = idOf(o[k]);
  }
  if (o.object != null) s.object = summarize(o.object);
  return s;
}

function idOf(v) {
  if (Array.isArray(v)) return v.map(idOf);
  if (v != null && typeof v === "object") return v.id ?? v.href ?? null;
  return v;
}

function jsonSafe(v) {
  try {
    return JSON.parse(
      JSON.stringify(v, (_k, x) => {
        if (x instanceof Error) return { name: x.name, message: x.message };
        if (x instanceof URL) return x.href;
        if (typeof x === "bigint") return x.toString();
        if (typeof CryptoKey !== "undefined" && x instanceof CryptoKey) return "[CryptoKey]";
        return x;
      }) ?? "null",
    );
  } catch {
    return String(v);
  }
}

// ---------------------------------------------------------------------------
// HTTP server: Node request -> Fetch Request -> federation.fetch -> Node response.

async function handle(req, res) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v != null) headers.append(k, v);
  }
  const url = new URL(req.url ?? "/", origin);
  const method = req.method ?? "GET";
  const request = new Request(url, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" || body.length === 0 ? undefined : body,
  });
  const incoming = { signature: signatureSchemeOf(headers), path: url.pathname };
  const response = await als.run({ incoming, spec: defaultSpec, requests: [] }, () =>
    federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("Not Found", { status: 404 }),
      onNotAcceptable: () =>
        new Response("Not Acceptable", { status: 406, headers: { Vary: "Accept" } }),
    }),
  );
  const outHeaders = {};
  response.headers.forEach((v, k) => {
    if (outHeaders[k] == null) outHeaders[k] = v;
    else outHeaders[k] = [].concat(outHeaders[k], v);
  });
  res.writeHead(response.status, outHeaders);
  res.end(Buffer.from(await response.arrayBuffer()));
  if (method === "POST") log(`POST ${url.pathname} (${incoming.signature}) -> ${response.status}`);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    log("request failed:", e?.stack ?? String(e));
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("internal error");
  });
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(opts.port, opts.host, resolve);
});
const { port } = server.address();
const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
origin = `http://${hostForUrl}:${port}`;
federation = buildFederation();

function context() {
  return federation.createContext(new URL(origin), undefined);
}

// ---------------------------------------------------------------------------
// Commands.

// A target is an actor/object URL, or a handle (user@host, @user@host,
// acct:user@host), which is resolved with WebFinger over plain HTTP (Fedify's
// own handle lookup always uses https).
async function resolve(ctx, target, { mustBeActor = false } = {}) {
  if (typeof target !== "string" || target === "") throw new Error("a target is required");
  let url = target;
  const handle = /^(?:acct:|@)?([^@/\s]+)@([^@/\s]+)$/.exec(target);
  if (handle) {
    const [, user, host] = handle;
    const wf = new URL(`http://${host}/.well-known/webfinger`);
    wf.searchParams.set("resource", `acct:${user}@${host}`);
    const res = await fetch(wf, { headers: { accept: "application/jrd+json" } });
    if (!res.ok) throw new Error(`WebFinger ${wf.href} answered ${res.status}`);
    const jrd = await res.json();
    const self = (jrd.links ?? []).find(
      (l) =>
        l.rel === "self" &&
        (l.type === "application/activity+json" || (l.type ?? "").includes("activitystreams")),
    );
    if (self?.href == null) throw new Error(`WebFinger for ${target} has no self link`);
    url = self.href;
  }
  const documentLoader = await ctx.getDocumentLoader({ identifier: ID });
  const obj = await ctx.lookupObject(url, { documentLoader });
  if (obj == null) throw new Error(`could not look up ${url}`);
  if (mustBeActor && !isActor(obj)) throw new Error(`${url} is not an actor`);
  return obj;
}

async function authorOf(ctx, object) {
  const attributed = object.attributionId ?? object.actorId;
  if (attributed == null) return null;
  return await resolve(ctx, attributed.href, { mustBeActor: true });
}

function dedupeRecipients(list) {
  const seen = new Map();
  for (const r of list) if (r?.id != null) seen.set(r.id.href, r);
  return [...seen.values()];
}

async function extraRecipients(ctx, cmd) {
  const list = cmd.to_actors ?? [];
  if (!Array.isArray(list)) throw new Error("to_actors must be an array");
  const out = [];
  for (const t of list) out.push(await resolve(ctx, t, { mustBeActor: true }));
  return out;
}

async function send(ctx, recipients, activity, cmd) {
  recipients = dedupeRecipients(recipients);
  activities.set(activity.id.href, { activity, recipients });
  if (recipients.length > 0) {
    await ctx.sendActivity({ identifier: ID }, recipients, activity, {
      preferSharedInbox: cmd.shared_inbox === true,
      immediate: true,
    });
  }
  return recipients.map((r) => r.id.href);
}

function requireString(cmd, field) {
  const v = cmd[field];
  if (typeof v !== "string" || v === "") throw new Error(`"${field}" is required`);
  return v;
}

const commands = {
  async ping() {
    return { origin, actor: context().getActorUri(ID).href };
  },

  async config(_ctx, cmd) {
    if (cmd.spec != null) defaultSpec = normalizeSpec(cmd.spec);
    return { spec: shortSpec(defaultSpec) };
  },

  async lookup(ctx, cmd) {
    const obj = await resolve(ctx, requireString(cmd, "target"));
    return { id: obj.id?.href ?? null, object: await obj.toJsonLd({ format: "compact" }) };
  },

  async follow(ctx, cmd) {
    const target = await resolve(ctx, requireString(cmd, "target"), { mustBeActor: true });
    const follow = new Follow({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: target.id,
      to: target.id,
    });
    following.set(target.id.href, { follow: follow.id.href, accepted: null, actor: target });
    const to = await send(ctx, [target], follow, cmd);
    return { id: follow.id.href, target: target.id.href, recipients: to };
  },

  // A report to the target's server: the target actor and some of its posts, with a comment.
  async flag(ctx, cmd) {
    const target = await resolve(ctx, requireString(cmd, "target"), { mustBeActor: true });
    const statuses = cmd.statuses ?? [];
    if (!Array.isArray(statuses)) throw new Error("statuses must be an array");
    const flag = new Flag({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      content: cmd.content ?? "",
      objects: [target.id, ...statuses.map((s) => new URL(s))],
    });
    const to = await send(ctx, [target], flag, cmd);
    return { id: flag.id.href, target: target.id.href, recipients: to };
  },

  async create(ctx, cmd) {
    const content = requireString(cmd, "content");
    const visibility = cmd.to ?? "public";
    const actorUri = ctx.getActorUri(ID);
    const followersUri = ctx.getFollowersUri(ID);
    const mentioned = [];
    const mentions = cmd.mention == null ? [] : [].concat(cmd.mention);
    for (const m of mentions) mentioned.push(await resolve(ctx, m, { mustBeActor: true }));
    const mentionIds = mentioned.map((a) => a.id);
    let to;
    let cc;
    switch (visibility) {
      case "public":
        to = [PUBLIC_COLLECTION];
        cc = [followersUri, ...mentionIds];
        break;
      case "unlisted":
        to = [followersUri];
        cc = [PUBLIC_COLLECTION, ...mentionIds];
        break;
      case "followers":
        to = [followersUri, ...mentionIds];
        cc = [];
        break;
      case "direct":
        to = [...mentionIds];
        cc = [];
        break;
      default:
        throw new Error(`"to" must be public, unlisted, followers or direct`);
    }
    const noteId = ctx.getObjectUri(Note, { identifier: ID, id: randomUUID() });
    const tags = mentioned.map(
      (a) =>
        new Mention({
          href: a.id,
          name: a.preferredUsername ? `@${a.preferredUsername}@${a.id.host}` : a.id.href,
        }),
    );
    const now = Temporal.Now.instant();
    const note = new Note({
      id: noteId,
      attribution: actorUri,
      content,
      ...(cmd.summary != null ? { summary: cmd.summary } : {}),
      ...(cmd.in_reply_to != null ? { replyTarget: new URL(cmd.in_reply_to) } : {}),
      url: noteId,
      published: now,
      tos: to,
      ccs: cc,
      tags,
    });
    const create = new Create({
      id: new URL(`${noteId.href}/activity`),
      actor: actorUri,
      object: note,
      published: now,
      tos: to,
      ccs: cc,
    });
    const extra = await extraRecipients(ctx, cmd);
    notes.set(noteId.href, { note, deleted: false, visibility, extra: [...mentioned, ...extra] });
    const audience = visibility === "direct" ? [] : [...followers.values()];
    const recipients = await send(ctx, [...audience, ...mentioned, ...extra], create, cmd);
    return { id: noteId.href, activity: create.id.href, recipients };
  },

  async like(ctx, cmd) {
    const object = await resolve(ctx, requireString(cmd, "object"));
    const author = await authorOf(ctx, object);
    const like = new Like({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: object.id,
      ...(author ? { to: author.id } : {}),
    });
    const recipients = await send(
      ctx,
      [...(author ? [author] : []), ...(await extraRecipients(ctx, cmd))],
      like,
      cmd,
    );
    return { id: like.id.href, recipients };
  },

  async announce(ctx, cmd) {
    const object = await resolve(ctx, requireString(cmd, "object"));
    const author = await authorOf(ctx, object);
    const announce = new Announce({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: object.id,
      published: Temporal.Now.instant(),
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri(ID), ...(author ? [author.id] : [])],
    });
    const recipients = await send(
      ctx,
      [...followers.values(), ...(author ? [author] : []), ...(await extraRecipients(ctx, cmd))],
      announce,
      cmd,
    );
    return { id: announce.id.href, recipients };
  },

  async undo(ctx, cmd) {
    const id = requireString(cmd, "activity");
    const entry = activities.get(id);
    if (entry == null) throw new Error(`no activity ${id} was sent by this peer`);
    const undo = new Undo({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: entry.activity,
      tos: entry.activity.toIds,
      ccs: entry.activity.ccIds,
    });
    if (entry.activity instanceof Follow) {
      for (const [actorId, f] of following) if (f.follow === id) following.delete(actorId);
    }
    const recipients = await send(ctx, entry.recipients, undo, cmd);
    return { id: undo.id.href, recipients };
  },

  async update(ctx, cmd) {
    const id = requireString(cmd, "object");
    const entry = notes.get(id);
    if (entry == null || entry.deleted) throw new Error(`no note ${id}`);
    const now = Temporal.Now.instant();
    const note = entry.note.clone({ content: requireString(cmd, "content"), updated: now });
    entry.note = note;
    const update = new Update({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: note,
      published: now,
      tos: note.toIds,
      ccs: note.ccIds,
    });
    const audience = entry.visibility === "direct" ? [] : [...followers.values()];
    const recipients = await send(ctx, [...audience, ...entry.extra], update, cmd);
    return { id: update.id.href, object: id, recipients };
  },

  async delete(ctx, cmd) {
    const id = requireString(cmd, "object");
    const entry = notes.get(id);
    if (entry == null || entry.deleted) throw new Error(`no note ${id}`);
    entry.deleted = true;
    const del = new Delete({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: new Tombstone({ id: new URL(id), deleted: Temporal.Now.instant() }),
      tos: entry.note.toIds,
      ccs: entry.note.ccIds,
    });
    const audience = entry.visibility === "direct" ? [] : [...followers.values()];
    const recipients = await send(ctx, [...audience, ...entry.extra], del, cmd);
    return { id: del.id.href, object: id, recipients };
  },

  async update_profile(ctx, cmd) {
    if (cmd.name != null) profile.name = String(cmd.name);
    if (cmd.summary != null) profile.summary = String(cmd.summary);
    const actor = await buildActor(ctx);
    const update = new Update({
      id: newActivityId(ctx),
      actor: actor.id,
      object: actor,
      published: Temporal.Now.instant(),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(ID),
    });
    const recipients = await send(
      ctx,
      [...followers.values(), ...(await extraRecipients(ctx, cmd))],
      update,
      cmd,
    );
    return { id: update.id.href, recipients };
  },

  // Names another actor as an alias of this one (alsoKnownAs): the account it may move from.
  async alias(ctx, cmd) {
    const target = await resolve(ctx, requireString(cmd, "target"), { mustBeActor: true });
    profile.aliases = [...profile.aliases, target.id];
    return { aliases: profile.aliases.map((uri) => uri.href) };
  },

  // Moves this actor to `target` (which must name it as an alias): its actor says movedTo,
  // and its followers get a Move.
  async move(ctx, cmd) {
    const target = await resolve(ctx, requireString(cmd, "target"), { mustBeActor: true });
    profile.successor = target.id;
    const move = new Move({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(ID),
      object: ctx.getActorUri(ID),
      target: target.id,
      to: ctx.getFollowersUri(ID),
    });
    const recipients = await send(ctx, [...followers.values()], move, cmd);
    return { id: move.id.href, target: target.id.href, recipients };
  },

  async received(_ctx, cmd) {
    const since = Number.isInteger(cmd.since) ? cmd.since : 0;
    const list = received.filter((r) => r.seq >= since && (cmd.type == null || r.type === cmd.type));
    const out = cmd.raw === false ? list.map(({ raw: _raw, ...r }) => r) : list;
    return { activities: out };
  },

  // Waits until an activity matching type/actor/object id arrives.
  async wait(_ctx, cmd) {
    const timeout = Number.isFinite(cmd.timeout_ms) ? cmd.timeout_ms : 10000;
    const since = Number.isInteger(cmd.since) ? cmd.since : 0;
    const deadline = Date.now() + timeout;
    for (;;) {
      const hit = received.find(
        (r) =>
          r.seq >= since &&
          (cmd.type == null || r.type === cmd.type) &&
          (cmd.actor == null || r.actor === cmd.actor) &&
          (cmd.object == null || r.object?.id === cmd.object),
      );
      if (hit) return { activity: hit };
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(cmd)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  async followers() {
    return { followers: [...followers.keys()] };
  },

  async following() {
    return {
      following: [...following.entries()].map(([id, f]) => ({ id, follow: f.follow, accepted: f.accepted })),
    };
  },

  async sent(_ctx, cmd) {
    const since = Number.isInteger(cmd.since) ? cmd.since : 0;
    return { sent: sentRequests.slice(since) };
  },

  // POSTs a Create with no signature at all; Woolly must answer 401.
  async unsigned_post(ctx, cmd) {
    const inbox = requireString(cmd, "inbox");
    const actorUri = ctx.getActorUri(ID);
    const noteId = `${actorUri.href}/notes/${randomUUID()}`;
    const body = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${noteId}/activity`,
      type: "Create",
      actor: actorUri.href,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: {
        id: noteId,
        type: "Note",
        attributedTo: actorUri.href,
        content: cmd.content ?? "<p>unsigned</p>",
        to: ["https://www.w3.org/ns/activitystreams#Public"],
      },
    };
    const res = await fetch(inbox, {
      method: "POST",
      headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.text()).slice(0, 2000) };
  },

  async quit() {
    setImmediate(() => shutdown(0));
    return {};
  },
};

async function runCommand(line) {
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: `bad JSON: ${e.message}` };
  }
  if (cmd == null || typeof cmd !== "object" || typeof cmd.cmd !== "string") {
    return { ok: false, error: 'a command is an object with a "cmd" string' };
  }
  const fn = Object.hasOwn(commands, cmd.cmd) ? commands[cmd.cmd] : null;
  const tag = cmd.tag !== undefined ? { tag: cmd.tag } : {};
  if (fn == null) return { ok: false, cmd: cmd.cmd, ...tag, error: `unknown command ${cmd.cmd}` };
  let spec;
  try {
    spec = cmd.spec == null ? defaultSpec : normalizeSpec(cmd.spec);
  } catch (e) {
    return { ok: false, cmd: cmd.cmd, ...tag, error: e.message };
  }
  const store = { spec, requests: [] };
  try {
    const result = await als.run(store, () => fn(context(), cmd));
    return { ok: true, cmd: cmd.cmd, ...tag, spec: shortSpec(spec), ...result, requests: store.requests };
  } catch (e) {
    log(`command ${cmd.cmd} failed:`, e?.stack ?? String(e));
    return {
      ok: false,
      cmd: cmd.cmd,
      ...tag,
      error: String(e?.message ?? e),
      requests: store.requests,
    };
  }
}

// Commands run one at a time, replies in order.
let chain = Promise.resolve();
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (line.trim() === "") return;
  chain = chain.then(async () => emit(await runCommand(line)));
});
rl.on("close", () => {
  chain.then(() => shutdown(0));
});

let shuttingDown = false;
function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  server.close();
  server.closeAllConnections?.();
  setTimeout(() => process.exit(code), 100).unref();
}
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));
process.on("unhandledRejection", (e) => log("unhandled rejection:", e?.stack ?? String(e)));

emit({
  ready: true,
  origin,
  actor: context().getActorUri(ID).href,
  handle: `${ID}@${new URL(origin).host}`,
  inbox: context().getInboxUri(ID).href,
  shared_inbox: context().getInboxUri().href,
  spec: shortSpec(defaultSpec),
});
