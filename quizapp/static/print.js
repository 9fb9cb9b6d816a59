// A "Print" button without inline script (the CSP allows none): any button marked
// data-print opens the browser's print dialog, whose page the print CSS lays out.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
