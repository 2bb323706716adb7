/* The rows of a direction ("Phân công", "Giao việc"): add and remove rows in the page; when the
 * document's deadline changes, rows that still had the old one follow it. Without this script
 * "+ Thêm dòng" asks the server for one more row, and rows are removed by emptying them.
 */
(function () {
  "use strict";

  var form = document.querySelector(".assign-form");
  if (!form) {
    return;
  }
  var body = form.querySelector("[data-rows]");
  var count = form.querySelector("[data-row-count]");
  if (!body || !count) {
    return;
  }

  function renumber() {
    var rows = body.querySelectorAll("[data-row]");
    rows.forEach(function (tr, i) {
      tr.querySelector("[data-row-number]").textContent = String(i + 1);
      tr.querySelectorAll("[name^=row-], [id^=row-], label[for^=row-]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v && /^row-\d+-/.test(v)) {
            el.setAttribute(attr, v.replace(/^row-\d+-/, "row-" + i + "-"));
          }
        });
      });
      // "Vai trò dòng 2" → "Vai trò dòng 3": the hidden part of each label names the row.
      tr.querySelectorAll("label .visually-hidden, [data-remove-row] .visually-hidden").forEach(
        function (hidden) {
          hidden.textContent = hidden.textContent.replace(/\d+(\D*)$/, String(i + 1) + "$1");
        }
      );
    });
    count.value = String(rows.length);
  }

  function blankRow() {
    var rows = body.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    copy.classList.remove("arow--invalid");
    copy.querySelectorAll(".field__error").forEach(function (e) {
      e.remove();
    });
    copy.querySelectorAll("input, select").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      if (el.tagName === "SELECT") {
        el.selectedIndex = el.hasAttribute("data-role") ? 1 : 0; // "Phối hợp" for a new row
      } else if (el.hasAttribute("data-row-deadline")) {
        el.value = currentDefault();
      } else {
        el.value = "";
      }
    });
    return copy;
  }

  function currentDefault() {
    var doc = form.querySelector("[data-doc-deadline]");
    return (doc && doc.value) || form.dataset.defaultDeadline || "";
  }

  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      var row = blankRow();
      body.appendChild(row);
      renumber();
      row.querySelector("select[name$=-unit]").focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var tr = remove.closest("[data-row]");
      if (body.querySelectorAll("[data-row]").length > 1) {
        tr.remove();
      } else {
        tr.querySelectorAll("input").forEach(function (el) {
          el.value = el.hasAttribute("data-row-deadline") ? currentDefault() : "";
        });
        tr.querySelector("select[name$=-unit]").selectedIndex = 0;
      }
      renumber();
    }
  });

  // The document's deadline: rows still on the previous one follow the new one.
  var docDeadline = form.querySelector("[data-doc-deadline]");
  if (docDeadline) {
    var previous = docDeadline.value || form.dataset.defaultDeadline;
    docDeadline.addEventListener("change", function () {
      var value = docDeadline.value || form.dataset.defaultDeadline;
      body.querySelectorAll("[data-row-deadline]").forEach(function (input) {
        if (!input.value || input.value === previous) {
          input.value = value;
        }
      });
      previous = value;
    });
  }
})();
