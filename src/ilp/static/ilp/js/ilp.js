// ILP: the few lines of behaviour htmx does not cover. Every page works without them.
(function () {
  "use strict";

  // Family form: add a member row from the <template>, remove a row by ticking its DELETE box.
  function renumber(container) {
    var n = 0;
    container.querySelectorAll("[data-member-row]").forEach(function (row) {
      if (row.hidden) return;
      n += 1;
      var label = row.querySelector(".row-number");
      if (label) label.textContent = n;
    });
  }

  function setUpRemove(row, container) {
    var box = row.querySelector(".remove-row input[type=checkbox]");
    if (!box || row.querySelector("[data-remove-member]")) return;
    var label = box.closest("label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.setAttribute("data-remove-member", "");
    button.textContent = label.textContent.trim();
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      renumber(container);
    });
    label.hidden = true;
    label.after(button);
  }

  // Print buttons (data-print). Not an inline onclick: the Content-Security-Policy forbids
  // inline code.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // The phone header: the menu folds behind its toggle (the page shows it in full without
  // this script). Escape closes it and gives the focus back to the toggle.
  function setUpMenu() {
    var bar = document.querySelector("[data-topbar]");
    var toggle = bar && bar.querySelector("[data-menu-toggle]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    function show(open) {
      menu.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.hidden = false;
    bar.classList.add("menu-ready");
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        show(false);
        toggle.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setUpMenu);

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("member-rows");
    var template = document.getElementById("member-template");
    var addButton = document.querySelector("[data-add-member]");
    if (!container || !template || !addButton) return;
    var total = document.querySelector("input[name=members-TOTAL_FORMS]");
    container.querySelectorAll("[data-member-row]").forEach(function (row) {
      setUpRemove(row, container);
    });
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      container.appendChild(row);
      total.value = String(index + 1);
      setUpRemove(row, container);
      renumber(container);
      if (window.htmx) window.htmx.process(row);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  });
})();
