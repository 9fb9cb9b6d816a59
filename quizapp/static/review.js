// Reviewing an article's drafts without reloading the page. Every form here works without
// this file (the server redirects back to the next draft with the outcome shown there); this
// only sends the same forms with fetch, asking for JSON, and applies the answer in place:
// statuses, removed drafts, the running count, the message. Rejecting asks in a dialog.
"use strict";

(() => {
  const section = document.querySelector("[data-review]");
  if (!section) return;
  const status = section.querySelector("#review-status");
  const selectAll = section.querySelector("[data-select-all]");
  const picks = () => Array.from(document.querySelectorAll("[data-pick]"));

  function say(message, category) {
    if (!status) return;
    const line = document.createElement("p");
    line.className = `flash flash-${category === "success" ? "success" : "error"}`;
    line.textContent = message;
    status.replaceChildren(line);
    // A message left by a plain-form round trip belongs to the draft it was shown by.
    document.querySelectorAll("li.draft > .flash").forEach((old) => old.remove());
  }

  function syncSelectAll() {
    if (!selectAll) return;
    const boxes = picks();
    const ticked = boxes.filter((box) => box.checked).length;
    selectAll.checked = boxes.length > 0 && ticked === boxes.length;
    selectAll.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  if (selectAll) {
    selectAll.addEventListener("change", () => {
      picks().forEach((box) => {
        box.checked = selectAll.checked;
      });
      selectAll.indeterminate = false;
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches && event.target.matches("[data-pick]")) syncSelectAll();
  });

  function apply(answer) {
    Object.entries(answer.questions || {}).forEach(([id, state]) => {
      const item = document.getElementById(`q${id}`);
      if (!item) return;
      if (state === "approved") {
        item.dataset.status = "approved";
        const label = item.querySelector(".status");
        if (label) {
          label.textContent = "approved";
          label.className = "status status-approved";
        }
        item.querySelectorAll(".pick, [data-review-form='approve']").forEach((el) => el.remove());
      } else {
        item.remove(); // deleted, or retired: out of review either way
      }
    });
    const left = Number(answer.drafts_left || 0);
    section.querySelectorAll("[data-drafts-left]").forEach((el) => {
      el.textContent = String(left);
    });
    section.querySelectorAll("[data-drafts-word]").forEach((el) => {
      el.textContent = left === 1 ? "draft" : "drafts";
    });
    const bulk = document.getElementById("bulk-review");
    if (bulk && left === 0) bulk.remove();
    const confirmBox = section.querySelector("[data-confirm-reject]");
    if (confirmBox) confirmBox.checked = false;
    syncSelectAll();
    say(answer.message, answer.category);
    const next = answer.next && document.getElementById(`q${answer.next}`);
    if (next) {
      next.focus({ preventScroll: false });
    } else if (status) {
      const heading = section.querySelector("h2");
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  function fallBack(form, fields) {
    // The server could not be reached as JSON: send the form as a page instead.
    Object.entries(fields).forEach(([name, value]) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    });
    form.submit();
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    const kind = form.dataset && form.dataset.reviewForm;
    if (!kind) return;
    event.preventDefault();
    const submitter = event.submitter;
    const action = kind === "bulk" ? submitter && submitter.value : kind;
    const body = new FormData(form, submitter || undefined);
    body.delete("select_all"); // the ticks themselves say what is selected
    if (kind === "bulk" && body.getAll("question_ids").length === 0) {
      say("No question was selected; tick the drafts to approve or reject.", "error");
      return;
    }
    if (action === "reject") {
      const count = kind === "bulk" ? body.getAll("question_ids").length : 1;
      const ticked = kind === "bulk" && body.get("confirm") === "y";
      const question =
        count === 1
          ? "Reject this question? A draft nothing uses is deleted."
          : `Reject these ${count} questions? Drafts nothing uses are deleted.`;
      if (!ticked && !window.confirm(question)) return;
      body.set("confirm", "y");
    }
    if (submitter) submitter.disabled = true;
    try {
      // form.action would be the buttons named "action"; the attribute is the address.
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (response.ok) {
        apply(answer);
      } else {
        say(answer.message || "That could not be done.", "error");
      }
    } catch (_error) {
      fallBack(form, action === "reject" ? { action, confirm: "y" } : { action });
    } finally {
      if (submitter) submitter.disabled = false;
    }
  });

  // Deleting the article: the page's "yes" tick, or the browser's dialog that ticks it.
  const remover = document.querySelector("form[data-confirm]");
  if (remover) {
    remover.addEventListener("submit", (event) => {
      const yes = remover.querySelector("input[type='checkbox']");
      if (yes && !yes.checked) {
        if (window.confirm(remover.dataset.confirm)) {
          yes.checked = true;
        } else {
          event.preventDefault();
        }
      }
    });
  }
})();
