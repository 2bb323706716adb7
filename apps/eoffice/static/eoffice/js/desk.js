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

  // Dates typed the Vietnamese way: <input data-date>. "15082017" or "15/8/2017" become
  // "15/08/2017"; slashes are added while typing digits.
  function pad(n) {
    return n.length === 1 ? "0" + n : n;
  }

  function normaliseDate(value) {
    var text = value.trim();
    var time = "";
    var m = text.match(/^(\S+)\s+(\d{1,2}[:hg]\d{2})$/);
    if (m) {
      text = m[1];
      time = " " + m[2].replace(/[hg]/, ":");
      if (time.length === 5) {
        time = " 0" + time.slice(1);
      }
    }
    if (/^\d{8}$/.test(text)) {
      text = text.slice(0, 2) + "/" + text.slice(2, 4) + "/" + text.slice(4);
    }
    m = text.match(/^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/);
    if (m) {
      return pad(m[1]) + "/" + pad(m[2]) + "/" + m[3] + time;
    }
    return value;
  }
  window.eoffice.normaliseDate = normaliseDate;

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-date]")) {
      return;
    }
    if (event.inputType && event.inputType.indexOf("delete") === 0) {
      return; // let people erase freely
    }
    var v = input.value;
    if (/^\d{2}$/.test(v) || /^\d{2}\/\d{2}$/.test(v)) {
      input.value = v + "/";
    }
  });
  document.addEventListener(
    "blur",
    function (event) {
      var input = event.target;
      if (input.matches && input.matches("input[data-date]") && input.value) {
        var before = input.value;
        input.value = normaliseDate(before);
        if (input.value !== before) {
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    },
    true
  );

  // Ctrl+Enter (⌘+Enter) sends the form from anywhere in it, text areas included.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) {
      return;
    }
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (!form || form.method.toLowerCase() !== "post") {
      return;
    }
    event.preventDefault();
    var submit = form.querySelector("[data-submit]");
    if (form.requestSubmit) {
      form.requestSubmit(submit || undefined);
    } else {
      form.submit();
    }
  });

  // Action panels (<details class="action">): the first input gets the focus when one opens,
  // "Đóng" closes it, Escape too.
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (!details.classList || !details.classList.contains("action") || !details.open) {
        return;
      }
      var first = details.querySelector(
        ".action__panel select, .action__panel textarea, .action__panel input:not([type=hidden])"
      );
      (first || details.querySelector(".action__panel button[type=submit]")).focus();
    },
    true
  );
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-details]");
    if (close) {
      var details = close.closest("details");
      details.open = false;
      details.querySelector("summary").focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var details = event.target.closest && event.target.closest("details.action[open]");
    if (details) {
      details.open = false;
      details.querySelector("summary").focus();
    }
  });

  // A field marked wrong stops looking wrong once the person corrects it.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.getAttribute && input.getAttribute("aria-invalid") === "true") {
      input.removeAttribute("aria-invalid");
    }
  });

  // A form that failed comes back with its first invalid input focused.
  document.addEventListener("DOMContentLoaded", function () {
    var open = document.querySelector("details.action[open]");
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
    } else if (open) {
      var first = open.querySelector(".action__panel textarea, .action__panel input:not([type=hidden])");
      if (first) {
        first.focus();
      }
    }
  });
})();
