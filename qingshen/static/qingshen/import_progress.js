// Poll a background import's status and move the progress bar; reload the page when it is done.
(function () {
  const bar = document.querySelector("[data-import-status]");
  if (!bar) return;
  const inner = bar.querySelector(".progress-bar");
  const url = bar.getAttribute("data-import-status");
  // The width is set here, not in a style attribute: the content security policy blocks inline styles.
  inner.style.width = bar.getAttribute("aria-valuenow") + "%";
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.setAttribute("aria-valuenow", s.percent);
        inner.style.width = s.percent + "%";
        inner.textContent = s.percent + "%";
        if (["queued", "validating", "committing"].indexOf(s.state) === -1) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
