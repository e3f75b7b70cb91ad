// Fill the nav's unread badge from /inbox/unread.json, so no page render pays for the count.
(function () {
  var badge = document.getElementById("inbox-unread");
  if (!badge) return;
  fetch(badge.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (data && data.unread > 0) {
        badge.textContent = data.unread;
        badge.classList.remove("d-none");
      }
    })
    .catch(function () {});
})();
