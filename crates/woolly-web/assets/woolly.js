// Woolly's web interface works without this file. With it: the composer counts what is left of
// the character limit as you type, the authorization code can be copied with one press, and the
// first page of a timeline offers new posts as they come (behind a button, so that nothing moves
// while one reads) and drops deleted ones.
"use strict";

// As the server counts: every link as 23 characters, a mention of someone elsewhere by its name.
function weightedLength(text) {
  const counted = text
    .replace(/https?:\/\/[^\s]+/g, "x".repeat(23))
    .replace(/(@[a-z0-9_]+)@[a-z0-9.-]+[a-z0-9]/gi, "$1");
  return [...counted].length;
}

for (const field of document.querySelectorAll("textarea[data-limit]")) {
  const counter = document.getElementById(field.getAttribute("aria-describedby").split(" ")[0]);
  const limit = Number(field.dataset.limit);
  const template = counter.dataset.left;
  const warning = document.getElementById("spoiler_text");
  const update = () => {
    const left = limit - weightedLength(field.value.trim()) - [...(warning ? warning.value.trim() : "")].length;
    counter.textContent = template.replace("%n", String(left));
    counter.classList.toggle("over", left < 0);
  };
  field.addEventListener("input", update);
  if (warning) warning.addEventListener("input", update);
  update();
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = button.dataset.copied;
  });
}

// A timeline with `data-live` hears of new posts from that address: their cards as HTML
// (`update`), and the ids of deleted posts (`delete`).
for (const timeline of document.querySelectorAll("section[data-live]")) {
  if (!("EventSource" in window)) break;
  const waiting = [];
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const notice = document.createElement("p");
  notice.className = "more";
  notice.setAttribute("role", "status");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "primary";
  button.hidden = true;
  notice.append(button);
  timeline.querySelector("h1, h2").after(notice);
  const shown = (id) => document.getElementById(id) || waiting.some((card) => card.id === id);
  const source = new EventSource(timeline.dataset.live);
  source.addEventListener("update", (event) => {
    const holder = document.createElement("template");
    holder.innerHTML = event.data;
    const card = holder.content.querySelector("article");
    if (!card || shown(card.id)) return;
    waiting.unshift(card);
    const words = plural.select(waiting.length) === "one" ? timeline.dataset.newOne : timeline.dataset.newOther;
    button.textContent = words.replace("%n", waiting.length.toLocaleString(document.documentElement.lang));
    button.hidden = false;
  });
  source.addEventListener("delete", (event) => {
    const id = "status-" + event.data;
    document.getElementById(id)?.remove();
    const index = waiting.findIndex((card) => card.id === id);
    if (index >= 0) waiting.splice(index, 1);
    if (waiting.length === 0) button.hidden = true;
  });
  button.addEventListener("click", () => {
    timeline.querySelector(".empty")?.remove();
    const cards = document.createDocumentFragment();
    cards.append(...waiting);
    const first = timeline.querySelector("article");
    if (first) first.before(cards); else notice.after(cards);
    const newest = waiting[0];
    waiting.length = 0;
    button.hidden = true;
    newest.tabIndex = -1;
    newest.focus();
  });
}
