// Woolly's web interface works without this file. With it: the composer counts what is left of
// the character limit as you type, and the authorization code can be copied with one press.
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
