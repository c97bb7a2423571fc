// ILP care pages: keyboard-first entry in the posyandu session table. htmx saves the rows;
// this file only moves the focus and says when a row is complete. Without it every row
// still has its own "Simpan" button.
(function () {
  "use strict";

  document.documentElement.classList.add("js-enabled");

  var FIELDS = "input[data-nav]:not([disabled]), select[data-nav]:not([disabled])";

  function fieldsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll(FIELDS));
  }

  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-row]")).filter(
      function (r) { return r.querySelector(FIELDS); }
    );
  }

  function focusField(el) {
    if (!el) return;
    el.focus();
    if (el.select && el.type === "text") el.select();
  }

  function save(row) {
    if (!row || row.dataset.dirty !== "1") return;
    if (row.dataset.kind === "adult") {
      // An adult's card is saved once anything was entered (blood pressure alone counts).
      var filled = fieldsOf(row).some(function (f) { return f.value && f.value.trim(); });
      if (!filled) return;
    } else {
      var weight = row.querySelector("input[name=weight]");
      if (!weight || !weight.value.trim()) return; // nothing to save yet
    }
    row.dataset.dirty = "";
    var form = row.querySelector("form[id^=wf-], form[id^=af-]");
    if (form && window.htmx) window.htmx.trigger(form, "ilp-save");
  }

  function nextRow(table, row, step) {
    var rows = rowsOf(table);
    var i = rows.indexOf(row);
    return i < 0 ? null : rows[i + step] || null;
  }

  function onKeyDown(event) {
    var el = event.target;
    if (!el.matches || !el.matches(FIELDS)) return;
    var row = el.closest("tr[data-row]");
    var table = el.closest("table[data-session-table]");
    if (!row || !table) return;
    if (event.key === "Enter") {
      event.preventDefault();
      var fields = fieldsOf(row);
      var i = fields.indexOf(el);
      // Enter after MUAC (or on the last field) completes the row.
      var confirm = row.querySelector("input[name=confirm_unusual]");
      var last = i === fields.length - 1 || (el.dataset.nav === "muac" && !confirm);
      if (!last) {
        focusField(fields[i + 1]);
        return;
      }
      row.dataset.dirty = "1";
      save(row);
      var next = nextRow(table, row, 1);
      if (next) focusField(next.querySelector(FIELDS));
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && el.type === "text") {
      event.preventDefault();
      var target = nextRow(table, row, event.key === "ArrowDown" ? 1 : -1);
      if (target) focusField(target.querySelector("[data-nav=" + el.dataset.nav + "]"));
    }
  }

  function onInput(event) {
    var row = event.target.closest && event.target.closest("tr[data-row]");
    if (row && event.target.matches(FIELDS + ", input[name=confirm_unusual]")) {
      row.dataset.dirty = "1";
    }
  }

  // Leaving a row (Tab out of its last field, a click elsewhere) also completes it.
  function onFocusOut(event) {
    var row = event.target.closest && event.target.closest("tr[data-row]");
    if (!row) return;
    window.setTimeout(function () {
      if (!row.isConnected || row.contains(document.activeElement)) return;
      save(row);
    }, 0);
  }

  // On a phone the table is a card per person: keep the whole card (name, fields, result)
  // in view while typing, not only the focused field.
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  function onFocusIn(event) {
    if (!NARROW || !NARROW.matches) return;
    // Only for typing: scrolling under a finger that taps a checkbox would lose the tap.
    if (!event.target.matches || !event.target.matches("input[type=text], select")) return;
    var row = event.target.closest("tr[data-row]");
    if (row && row.scrollIntoView) row.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("focusin", onFocusIn);
  document.addEventListener("keydown", onKeyDown);
  document.addEventListener("input", onInput);
  document.addEventListener("change", onInput);
  document.addEventListener("focusout", onFocusOut);

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table[data-session-table]");
    if (!table) return;
    var first = rowsOf(table).find(function (r) {
      var w = r.querySelector("input[name=weight]");
      return w && !w.value;
    });
    if (first) focusField(first.querySelector("input[data-nav=weight]"));
  });
})();
