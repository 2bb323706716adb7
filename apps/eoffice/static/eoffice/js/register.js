/* The clerk's register form ("Tiếp nhận văn bản đến"): duplicate warning while typing, files
 * uploaded at once (so OCR reads them while the clerk types) and the fields OCR read filled in
 * where still empty, marked "từ OCR". Without this script the form still works: files are
 * sent with the form and the server checks duplicates on saving.
 */
(function () {
  "use strict";

  var form = document.getElementById("register-form");
  if (!form) {
    return;
  }
  var t = JSON.parse((document.getElementById("register-i18n") || {}).textContent || "{}");
  var field = function (name) {
    return form.elements.namedItem(name);
  };
  var format = function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  };
  var escapeHtml = function (text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  };

  // ----------------------------------------------------------------- duplicates
  var box = document.getElementById("duplicates");
  var timer = null;
  var lastKey = "";

  function checkDuplicates() {
    var issuer = (field("issuer").value || "").trim();
    var number = (field("document_number").value || "").trim();
    var key = issuer + "\u0000" + number;
    if (key === lastKey) {
      return;
    }
    lastKey = key;
    if (!issuer || !number) {
      if (!box.querySelector("input[name=confirm_duplicate]")) {
        box.innerHTML = "";
      }
      return;
    }
    var args = { issuer: issuer, document_number: number };
    if (form.dataset.doc) {
      args.exclude = form.dataset.doc;
    }
    window.eoffice
      .call("eoffice.incoming_document.find_duplicates", args)
      .then(function (answer) {
        if (key !== lastKey) {
          return; // typed on meanwhile
        }
        var found = (answer && answer.message) || [];
        if (box.querySelector("input[name=confirm_duplicate]")) {
          return; // the server's own warning with its checkbox stays
        }
        if (!found.length) {
          box.innerHTML = "";
          return;
        }
        var template = document.getElementById("duplicate-template");
        var node = template.content.cloneNode(true);
        node.querySelector("[data-summary]").textContent = format(t.duplicate || "", {
          n: found.length,
          issuer: issuer,
          number: number,
        });
        var list = node.querySelector("[data-list]");
        found.forEach(function (d) {
          var li = document.createElement("li");
          var label = (d.arrival_number ? (t.arrival || "Số đến") + " " + d.arrival_number + " · " : "") +
            d.document_number + " — " + d.summary;
          li.innerHTML =
            '<a href="/app/incoming-document/' + encodeURIComponent(d.name) + '">' + escapeHtml(label) +
            "</a> (" + escapeHtml(d.workflow_state) + ")";
          list.appendChild(li);
        });
        box.innerHTML = "";
        box.appendChild(node);
        box.firstElementChild.setAttribute("role", "alert");
      })
      .catch(function () {});
  }

  ["issuer", "document_number"].forEach(function (name) {
    var input = field(name);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(checkDuplicates, 350);
    });
    input.addEventListener("change", checkDuplicates);
  });

  // ----------------------------------------------------------------- uploads and OCR
  var picker = form.querySelector("[data-upload]");
  var list = document.getElementById("uploads");
  var preview = document.getElementById("upload-preview");
  var FINAL = ["Hoàn tất", "Lỗi", "Không cần"];

  function statusBadge(li, status) {
    var badge = li.querySelector("[data-ocr-status]");
    badge.textContent = (t.ocrStatus || "Nhận dạng") + ": " + status;
    badge.className =
      "badge badge--" + (status === "Hoàn tất" ? "ok" : status === "Lỗi" ? "overdue" : "info");
    li.dataset.status = status;
  }

  function showPreview(file) {
    if (!preview || preview.childElementCount) {
      return;
    }
    if (file.mime_type === "application/pdf") {
      preview.innerHTML =
        '<iframe class="preview__frame" title="' + escapeHtml(file.file_name) + '" src="' +
        file.file_url + '#view=FitH"></iframe>';
    } else if (/^image\/(png|jpeg)$/.test(file.mime_type)) {
      preview.innerHTML =
        '<img class="preview__image" alt="' + escapeHtml(file.file_name) + '" src="' + file.file_url + '">';
    }
  }

  function setIfEmpty(name, value) {
    var input = field(name);
    if (!input || value === undefined || value === null || value === "") {
      return false;
    }
    if (input.tagName === "SELECT") {
      var normal = input.options[0] && input.options[0].value;
      if (input.value !== normal || input.dataset.touched) {
        return false;
      }
    } else if (input.value.trim() !== "") {
      return false;
    }
    input.value = value;
    var mark = form.querySelector('[data-field="' + name + '"] [data-ocr-mark]');
    if (mark) {
      mark.hidden = false;
    }
    var keep = document.createElement("input");
    keep.type = "hidden";
    keep.name = "from_ocr";
    keep.value = name;
    form.appendChild(keep);
    input.addEventListener(
      "input",
      function () {
        if (mark) {
          mark.hidden = true;
        }
      },
      { once: true }
    );
    return true;
  }

  function prefill(fields) {
    var filled = 0;
    if (fields.document_date && /^\d{4}-\d{2}-\d{2}$/.test(fields.document_date)) {
      var p = fields.document_date.split("-");
      fields.document_date = p[2] + "/" + p[1] + "/" + p[0];
    }
    ["issuer", "document_number", "document_date", "document_type", "summary", "urgency", "secrecy"].forEach(
      function (name) {
        filled += setIfEmpty(name, fields[name]) ? 1 : 0;
      }
    );
    if (filled) {
      checkDuplicates();
      var note = document.createElement("p");
      note.className = "field__help";
      note.setAttribute("role", "status");
      note.textContent = format(t.prefilled || "", { n: filled });
      list.parentNode.insertBefore(note, list.nextSibling);
    }
  }

  var prefilled = false;

  function poll(li, name, tries) {
    fetch("/api/resource/File/" + encodeURIComponent(name), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (answer) {
        var file = answer.data || {};
        statusBadge(li, file.ocr_status || "");
        var read = file.ocr_fields && file.ocr_fields.fields;
        if (!prefilled && read && Object.keys(read).length) {
          prefilled = true;
          prefill(read);
        }
        if (FINAL.indexOf(file.ocr_status) === -1 && tries < 60) {
          setTimeout(function () {
            poll(li, name, tries + 1);
          }, 1500);
        }
      })
      .catch(function () {});
  }

  function upload(file) {
    var li = document.createElement("li");
    li.className = "upload";
    li.innerHTML =
      '<span class="upload__name"></span> <span class="badge badge--info" data-ocr-status></span>';
    li.querySelector(".upload__name").textContent = file.name;
    li.querySelector("[data-ocr-status]").textContent = t.uploading || "…";
    list.appendChild(li);
    var data = new FormData();
    data.append("file", file, file.name);
    return fetch("/api/method/upload_file", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Frappe-CSRF-Token": window.csrf_token || "" },
      body: data,
    })
      .then(function (r) {
        return r.json().then(function (body) {
          return { ok: r.ok, body: body };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          var messages = [];
          try {
            messages = JSON.parse(result.body._server_messages || "[]").map(function (m) {
              return JSON.parse(m).message;
            });
          } catch (e) {
            messages = [];
          }
          li.classList.add("upload--failed");
          var badge = li.querySelector("[data-ocr-status]");
          badge.className = "badge badge--overdue";
          badge.textContent = t.uploadFailed || "Lỗi";
          var why = document.createElement("p");
          why.className = "field__error";
          why.setAttribute("role", "alert");
          why.textContent = messages.join(" ") || result.body.exception || "";
          li.appendChild(why);
          return;
        }
        var stored = result.body.message;
        li.dataset.file = stored.name;
        var keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = "file_names";
        keep.value = stored.name;
        li.appendChild(keep);
        statusBadge(li, stored.ocr_status || "");
        showPreview(stored);
        poll(li, stored.name, 0);
      })
      .catch(function () {
        li.querySelector("[data-ocr-status]").textContent = t.uploadFailed || "Lỗi";
      });
  }

  if (picker && list) {
    picker.addEventListener("change", function () {
      Array.prototype.forEach.call(picker.files, upload);
      picker.value = ""; // sent already: not again with the form
    });
    Array.prototype.forEach.call(list.querySelectorAll("[data-file]"), function (li) {
      if (FINAL.indexOf(li.dataset.status) === -1) {
        poll(li, li.dataset.file, 0);
      }
    });
  }

  // A select changed by hand is the clerk's choice: OCR does not override it.
  ["urgency", "secrecy"].forEach(function (name) {
    var select = field(name);
    if (select) {
      select.addEventListener("change", function () {
        select.dataset.touched = "1";
      });
    }
  });
})();
