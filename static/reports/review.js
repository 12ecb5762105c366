// Return reasons (审核意见) without codes.
//
// On the 流转 page of someone who may return the filing: every cell, row label, website-form
// caption and 正文 section shown below the return form is a button (data-target: its code,
// see reports/formats/codes.py); a click adds it to the form's "涉及" list as a ticked box
// named "targets", a second click takes it out again. The names come from the page
// (#review-labels, selectors.review_target_labels). The server checks every code again.
//
// On the entry pages: a reason's tick (beside its cell, field or section, and on the checklist
// at the top) posts to the resolve page and marks every copy of that reason, without leaving
// the page, so nothing typed is lost.
(function () {
  "use strict";

  function each(selector, callback, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), callback);
  }

  // --- picking targets on the 流转 page -------------------------------------------------
  var list = document.getElementById("picked-targets");
  var labelsNode = document.getElementById("review-labels");
  if (list && labelsNode) {
    var labels = JSON.parse(labelsNode.textContent);
    var none = document.querySelector(".picked-none");
    var bar = document.getElementById("pick-bar");
    var count = document.getElementById("pick-count");

    var boxFor = function (code) {
      var found = null;
      each("input[name=targets]", function (box) { if (box.value === code) found = box; }, list);
      return found;
    };

    var sync = function () {
      var chosen = {};
      var total = 0;
      each("input[name=targets]", function (box) {
        if (box.checked) { chosen[box.value] = true; total += 1; }
      }, list);
      each("button.pick[data-target]", function (button) {
        var on = chosen[button.dataset.target] === true;
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("picked", on);
      });
      if (none) none.hidden = list.children.length > 0;
      if (count) count.textContent = String(total);
      if (bar) bar.hidden = total === 0;
    };

    var toggle = function (code) {
      var box = boxFor(code);
      if (box && box.checked) {
        list.removeChild(box.closest("li"));
      } else if (box) {
        box.checked = true;
      } else {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox";
        input.name = "targets";
        input.value = code;
        input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + (labels[code] || code)));
        item.appendChild(label);
        list.appendChild(item);
      }
      sync();
    };

    document.addEventListener("click", function (event) {
      var button = event.target.closest("button.pick[data-target]");
      if (button) toggle(button.dataset.target);
    });
    list.addEventListener("change", sync);
    sync();
  }

  // --- ticking reasons off on the entry pages --------------------------------------------
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");

  var mark = function (id, resolved, open) {
    each('[data-comment="' + id + '"]', function (node) {
      if (!node.matches("button")) node.classList.toggle("resolved", resolved);
      each(".resolved-note", function (note) { note.textContent = resolved ? " · 已处理" : ""; }, node);
    });
    each('button.review-tick[data-comment="' + id + '"]', function (button) {
      button.setAttribute("aria-pressed", resolved ? "true" : "false");
      button.title = resolved ? "标记为未处理" : "标记为已处理";
      button.textContent = (resolved ? "☑" : "☐") + button.textContent.slice(1);
    });
    each(".review-open-count", function (node) { node.textContent = String(open); });
  };

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.review-tick[data-url]");
    if (!button || !token) return;
    event.preventDefault();
    var resolved = button.getAttribute("aria-pressed") !== "true";
    var body = new FormData();
    body.append("resolved", resolved ? "1" : "0");
    button.disabled = true;
    fetch(button.dataset.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, "Accept": "application/json" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) { mark(button.dataset.comment, answer.resolved, answer.open); })
      .catch(function () { window.alert("未能保存勾选（报告可能已提交或您已退出登录），请刷新页面后重试。"); })
      .then(function () { button.disabled = false; });
  });
})();
