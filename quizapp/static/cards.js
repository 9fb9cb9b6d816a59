// Flashcard shortcuts: Space shows the answer, 1 to 4 rate the card. Each key only clicks the
// page's own link or button, so everything still works (and is tested) without this file.
"use strict";

function typingIn(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const notText = ["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"];
  return !notText.includes((element.type || "text").toLowerCase());
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  if (typingIn(event.target)) return;
  let target = null;
  if (event.key === " ") {
    target = document.querySelector("[data-card-flip]");
  } else if (/^[1-4]$/.test(event.key)) {
    target = document.querySelector(`[data-card-rating="${event.key}"]`);
  }
  if (target && !target.disabled) {
    event.preventDefault();
    target.click(); // a second press re-sends a rating the server already counted: ignored
  }
});
