// A job's progress, live: polls the page's JSON twin every second, moves the bar and says the
// step in the status line (aria-live), then goes to the job page, which leads on to the
// result. Without scripts the page refreshes itself instead (a meta refresh in <noscript>, so
// it never reloads the page under a screen reader while this runs).
"use strict";

(() => {
  const section = document.querySelector("[data-job]");
  if (!section) return;
  const bar = document.getElementById("job-progress");
  const step = document.getElementById("job-step");
  const status = document.getElementById("job-status");

  async function poll() {
    try {
      const response = await fetch(section.dataset.job, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const job = await response.json();
      if (job.finished) {
        window.location.assign(job.url);
        return;
      }
      if (bar) {
        bar.value = job.percent;
        bar.textContent = `${job.percent}%`;
      }
      if (step) step.textContent = job.step.charAt(0).toUpperCase() + job.step.slice(1);
      if (status && status.textContent !== job.label) status.textContent = job.label;
    } catch (error) {
      if (status) status.textContent = "Could not check the import's progress; retrying…";
    }
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 1000);
})();
