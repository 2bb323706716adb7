/* eOffice desk: small progressive enhancements; every page works without them.
 *
 * window.csrf_token is set by the page (Frappe's convention): scripts that call the API with the
 * session cookie send it as the X-Frappe-CSRF-Token header on POST/PUT/DELETE.
 */
(function () {
  "use strict";

  // <form data-confirm="..."> asks before submitting (revoking a key, for instance).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // <button data-copy="#id"> copies the text of #id; falls back to selecting it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target) {
      return;
    }
    var text = target.textContent.trim();
    var done = function () {
      var label = button.getAttribute("data-copied") || "OK";
      button.textContent = label;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  });

  // eoffice.call(method, args): POST to /api/method/<method> with the session and CSRF token.
  window.eoffice = window.eoffice || {};
  window.eoffice.call = function (method, args) {
    return fetch("/api/method/" + method, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Frappe-CSRF-Token": window.csrf_token || "",
      },
      body: JSON.stringify(args || {}),
    }).then(function (response) {
      return response.json();
    });
  };
})();
