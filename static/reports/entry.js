// Entry pages of a filing (统计表, 网站报表, 撰写正文, the return form on 流转).
//
// 1. Nothing typed is lost. A form marked `data-entry` (with `data-filing`, "<filing>:<user>"
//    so that another account on a shared computer is never offered it, and `data-version`,
//    the filing version the page was opened at) keeps what is typed in localStorage under
//    "nianbao-draft:<filing>:<user>:<page>:<version>" and asks before the page
//    is left with unsaved edits (not when the form itself is submitted). Submitting notes the
//    filing and page (sessionStorage); the page that comes back clears every draft of that
//    page of the filing when it shows a success message (a save redirects to the page with
//    "已保存…"), and keeps them otherwise: a refused save (an error message: the server shows
//    what was typed again, and the page starts out unsaved), a timeout (the login page, then
//    the page again without a message) or a crash. A page that opens with a draft differing
//    from what it shows offers it back in a banner: 「发现未保存的内容（时间）：恢复 / 丢弃」.
//    A draft holds only the fields changed on the page, so 恢复 puts back what was typed and
//    leaves alone what others saved since.
// 2. Spreadsheet-like keys in a form marked `data-grid` (reading order is the page's order;
//    computed totals are read-only and never visited):
//    Tab / Enter: next value cell; Shift+Tab / Shift+Enter: previous one (Tab on the tables
//    page only: on the website form it keeps its usual meaning, as it also visits the tick
//    boxes); in number cells, ↑ ↓: the cell above / below, ← →: the cell left / right once the
//    caret is at that edge of the text; Alt+N: open the cell's 「注」 and go into it (Alt+N or
//    Esc again goes back to the cell, closing an empty note). Enter in an input never submits
//    the form. A block copied from Excel or WPS (tab-separated columns, one line per row)
//    pasted into a cell of a `data-paste` form fills the table from that cell rightwards and
//    downwards, one pasted column per printed column and one pasted line per printed row,
//    after a preview; totals are never written, and a block running past the table is
//    refused.
(function () {
  "use strict";

  var PREFIX = "nianbao-draft:";
  var PENDING = "nianbao-draft-pending";

  function storage(kind) {
    try {
      var store = window[kind];
      store.getItem(PREFIX); // throws when storage is disabled
      return store;
    } catch (e) {
      return null;
    }
  }

  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function readJSON(store, key) {
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(key));
    } catch (e) {
      return null;
    }
  }

  function writeJSON(store, key, value) {
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Storage full: the prompt on leaving still guards what is typed.
    }
  }

  function keysWith(prefix) {
    var found = [];
    if (!local) return found;
    for (var i = 0; i < local.length; i++) {
      var key = local.key(i);
      if (key && key.indexOf(prefix) === 0) found.push(key);
    }
    return found;
  }

  function shown(selector) {
    return document.querySelector(".messagelist " + selector) !== null;
  }

  // A save redirects to a page saying so (success; 生成初稿 may say "info" instead);
  // every refusal shows an error message.
  var savedHere = shown(".success, .info") && !shown(".error");
  var refusedHere = shown(".error");

  // --- 1. nothing typed is lost --------------------------------------------------------

  function settlePendingSubmit() {
    var pending = readJSON(session, PENDING);
    if (!pending) return null;
    session.removeItem(PENDING);
    if (pending.path !== window.location.pathname) return null;
    if (savedHere) {
      keysWith(pending.prefix).forEach(function (key) { local.removeItem(key); });
      return null;
    }
    return pending;
  }

  function isTracked(el) {
    if (!el.name || el.disabled || el.readOnly) return false;
    if (el.name === "csrfmiddlewaretoken" || el.name === "version") return false;
    return ["hidden", "submit", "button", "reset", "file", "image"].indexOf(el.type) < 0;
  }

  function fieldKey(el) {
    return el.type === "checkbox" || el.type === "radio" ? el.name + "=" + el.value : el.name;
  }

  function currentValue(el) {
    return el.type === "checkbox" || el.type === "radio" ? (el.checked ? "1" : "") : el.value;
  }

  function initialValue(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.defaultChecked ? "1" : "";
    if (el.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; });
      return chosen.length ? chosen[0].value : (el.options[0] ? el.options[0].value : "");
    }
    return el.defaultValue;
  }

  function setValue(el, value) {
    if (el.type === "checkbox" || el.type === "radio") el.checked = value === "1";
    else el.value = value;
    if (value) {
      var note = el.closest("details");
      if (note) note.open = true;
    }
    el.dispatchEvent(new Event(el.tagName === "SELECT" || el.type === "checkbox" || el.type === "radio" ? "change" : "input", { bubbles: true }));
  }

  function when(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function guard(form, pending) {
    var prefix = PREFIX + form.dataset.filing + ":" + form.dataset.entry + ":";
    var ownKey = prefix + form.dataset.version;
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (isTracked(el)) fields[fieldKey(el)] = el;
    });
    // A refused save: the page shows what was typed, and none of it is saved yet.
    var startsUnsaved = !!(pending && pending.prefix === prefix && refusedHere);
    var base = {}; // from earlier pages: still unsaved, and already on this one
    var held = {}; // this page's own stored draft while it is offered back, undecided
    var touched = {}; // changed on this page
    var submitting = false;
    // The oldest filing version any of the unsaved content was typed on.
    var typedOn = Number(form.dataset.version);

    function differing(draft) {
      return Object.keys(draft.fields).filter(function (key) {
        return fields[key] && currentValue(fields[key]) !== draft.fields[key];
      });
    }

    function merged() {
      var all = {};
      Array.prototype.forEach.call(arguments, function (part) {
        Object.keys(part).forEach(function (key) { all[key] = part[key]; });
      });
      return all;
    }

    function typedHere() {
      var values = {};
      Object.keys(touched).forEach(function (key) { values[key] = currentValue(fields[key]); });
      return values;
    }

    function isDirty() {
      if (startsUnsaved) return true;
      var all = merged(base, typedHere());
      return Object.keys(all).some(function (key) {
        return fields[key] && all[key] !== initialValue(fields[key]);
      });
    }

    function save() {
      if (!local) return;
      if (isDirty() || Object.keys(held).length) {
        writeJSON(local, ownKey, { savedAt: Date.now(), version: typedOn, fields: merged(held, base, typedHere()) });
      } else {
        local.removeItem(ownKey);
      }
    }

    function touch(el) {
      // A radio button unticks its neighbours without telling them: take the whole group.
      Array.prototype.forEach.call(form.elements, function (other) {
        if (other.name === el.name && isTracked(other)) touched[fieldKey(other)] = true;
      });
    }

    // Drafts found on opening: those differing from the page are offered back; the rest
    // (the page already shows them, as after a refused save) carry on in this page's draft.
    var offered = null;
    var drafts = keysWith(prefix).map(function (key) {
      var draft = readJSON(local, key);
      if (!draft || !draft.fields) return null;
      var version = typeof draft.version === "number" ? draft.version : Number(key.slice(prefix.length));
      if (!isFinite(version)) version = typedOn;
      return { key: key, savedAt: draft.savedAt || 0, version: version, fields: draft.fields };
    }).filter(Boolean).sort(function (a, b) { return a.savedAt - b.savedAt; });
    drafts.forEach(function (draft) {
      if (differing(draft).length) {
        offered = offered || { keys: [], fields: {}, savedAt: 0, typedOn: Infinity };
        offered.keys.push(draft.key);
        Object.keys(draft.fields).forEach(function (key) { offered.fields[key] = draft.fields[key]; });
        offered.savedAt = Math.max(offered.savedAt, draft.savedAt);
        offered.typedOn = Math.min(offered.typedOn, draft.version);
        if (draft.key === ownKey) held = draft.fields;
      } else {
        Object.keys(draft.fields).forEach(function (key) { base[key] = draft.fields[key]; });
        typedOn = Math.min(typedOn, draft.version);
        if (draft.key !== ownKey) local.removeItem(draft.key);
      }
    });
    // What the browser itself put back (history navigation) is unsaved too.
    Object.keys(fields).forEach(function (key) {
      if (currentValue(fields[key]) !== initialValue(fields[key])) touched[key] = true;
    });
    save();

    function settle(restore) {
      var keys = offered.keys;
      var values = offered.fields;
      if (restore) typedOn = Math.min(typedOn, offered.typedOn);
      offered = null;
      held = {};
      if (restore) {
        Object.keys(values).forEach(function (key) {
          if (fields[key] && currentValue(fields[key]) !== values[key]) setValue(fields[key], values[key]);
          if (fields[key]) touched[key] = true;
        });
      }
      keys.forEach(function (key) { if (key !== ownKey) local.removeItem(key); });
      save();
      banner.remove();
    }

    var banner = null;
    if (offered) {
      banner = document.createElement("div");
      banner.className = "draft-banner";
      banner.setAttribute("role", "alert");
      var text = document.createElement("span");
      text.textContent = "发现未保存的内容（" + when(offered.savedAt) + "）：";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button";
      restore.textContent = "恢复";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.textContent = "丢弃";
      banner.append(text, restore, " / ", discard);
      if (offered.typedOn < Number(form.dataset.version)) {
        var older = document.createElement("span");
        older.className = "draft-older";
        older.textContent = "这些内容是在报告的较早版本上填写的，恢复后请逐项核对再保存。";
        banner.append(older);
      }
      restore.addEventListener("click", function () { settle(true); });
      discard.addEventListener("click", function () { settle(false); });
      form.insertBefore(banner, form.firstChild);
    }

    function changed(event) {
      if (!isTracked(event.target) || !fields[fieldKey(event.target)]) return;
      touch(event.target);
      save();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.addEventListener("submit", function () {
      submitting = true;
      save();
      writeJSON(session, PENDING, { prefix: prefix, path: window.location.pathname });
    });
    // Back from the submit (bfcache): the page may be left again.
    window.addEventListener("pageshow", function () { submitting = false; });
    // A save of the same page in another tab clears its drafts, this tab's too: write it again.
    window.addEventListener("storage", function (event) {
      if ((event.key === ownKey || event.key === null) && local && local.getItem(ownKey) === null) save();
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitting || !isDirty()) return;
      event.preventDefault();
      event.returnValue = ""; // Chromium shows its own "leave site?" text
    });
  }

  var pending = settlePendingSubmit();
  document.querySelectorAll("form[data-entry]").forEach(function (form) { guard(form, pending); });

  // --- 2. spreadsheet-like keys --------------------------------------------------------

  var CELLS = "input.value:not([readonly]), input.answer-input, table.media-entry input";

  function grid(form) {
    var tabMoves = form.dataset.grid === "tables";

    function cells() {
      return Array.prototype.slice.call(form.querySelectorAll(CELLS));
    }

    function go(cell) {
      if (!cell) return false;
      cell.focus();
      cell.select();
      return true;
    }

    // The next / previous cell in reading order after `el` (a cell, a tick box or a note).
    function step(el, direction) {
      var all = cells();
      var at = all.indexOf(el);
      if (at >= 0) return all[at + direction] || null;
      var after = all.filter(function (cell) {
        return el.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      return direction > 0 ? after[0] || null : all[all.length - after.length - 1] || null;
    }

    function vertical(cell, direction) {
      var td = cell.closest("td");
      var box = td.getBoundingClientRect();
      var x = box.left + box.width / 2;
      var table = cell.closest("table");
      var rows = Array.prototype.slice.call(table.rows);
      var mine = cells().filter(function (c) { return c.closest("table") === table; });
      for (var i = rows.indexOf(td.parentElement) + direction; i >= 0 && i < rows.length; i += direction) {
        for (var j = 0; j < mine.length; j++) {
          var other = mine[j].closest("td");
          if (other.parentElement !== rows[i]) continue;
          var r = other.getBoundingClientRect();
          if (r.left <= x && x <= r.right) return mine[j];
        }
      }
      return null;
    }

    function sideways(cell, direction) {
      var row = cell.closest("tr");
      var mine = cells().filter(function (c) { return c.closest("tr") === row; });
      return mine[mine.indexOf(cell) + direction] || null;
    }

    function isNumber(cell) {
      return cell.getAttribute("inputmode") === "decimal";
    }

    function noteOf(el) {
      var td = el.closest("td");
      return td ? td.querySelector("details.note") : null;
    }

    function ownerOf(noteInput) {
      var td = noteInput.closest("td");
      return td ? td.querySelector(CELLS + ", input[type=checkbox], input[type=radio]") : null;
    }

    function leaveNote(noteInput) {
      var details = noteInput.closest("details");
      if (!noteInput.value.trim()) details.open = false;
      var owner = ownerOf(noteInput);
      if (owner) owner.focus();
    }

    form.addEventListener("keydown", function (event) {
      // An input method uses Enter and the arrows to pick characters: leave it alone.
      if (event.isComposing || event.keyCode === 229 || event.ctrlKey || event.metaKey) return;
      var el = event.target;
      if (el.tagName !== "INPUT" && el.tagName !== "SELECT") return;
      if (el.type === "submit" || el.type === "button") return;
      var isCell = el.matches(CELLS);
      var inNote = !!el.closest("details.note");
      var shortcut = event.altKey && event.code === "KeyN";

      if (inNote) {
        if (shortcut || event.key === "Escape" || (event.key === "Tab" && event.shiftKey)) {
          event.preventDefault();
          leaveNote(el);
        } else if (event.key === "Enter" || (event.key === "Tab" && tabMoves)) {
          event.preventDefault();
          go(step(el, event.shiftKey ? -1 : 1));
        }
        return;
      }
      if (shortcut) {
        var details = noteOf(el);
        if (!details) return;
        event.preventDefault();
        details.open = true;
        var input = details.querySelector("input");
        input.focus();
        input.select();
        return;
      }
      if (event.altKey) return;
      var target = null;
      var moves = false;
      if (event.key === "Enter") {
        event.preventDefault(); // Enter never submits the whole page
        target = step(el, event.shiftKey ? -1 : 1);
      } else if (event.key === "Tab" && tabMoves && isCell) {
        target = step(el, event.shiftKey ? -1 : 1);
        moves = !!target; // past the last cell, Tab goes on to the buttons as usual
      } else if (!isCell || !isNumber(el)) {
        return;
      } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        target = vertical(el, event.key === "ArrowUp" ? -1 : 1);
        moves = true;
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        var atEdge = el.selectionStart === el.selectionEnd &&
          (event.key === "ArrowLeft" ? el.selectionStart === 0 : el.selectionEnd === el.value.length);
        if (!atEdge || event.shiftKey) return;
        target = sideways(el, event.key === "ArrowLeft" ? -1 : 1);
        moves = !!target;
      }
      if (moves) event.preventDefault();
      go(target);
    });

    if (form.hasAttribute("data-paste")) pasting(form);
  }

  // --- pasting a block from a spreadsheet ------------------------------------------------

  function pasting(form) {
    var panel = null;

    function closePanel(backTo) {
      if (!panel) return;
      panel.remove();
      panel = null;
      form.querySelectorAll("td.paste-target").forEach(function (td) { td.classList.remove("paste-target"); });
      if (backTo) backTo.focus();
    }

    // The table as printed: one entry per body row, the row's value columns in order
    // (td.num, or td.void where the row has no such cell); a row without cells (a heading,
    // a block's title or header) is null, and nothing can land in it.
    function layout(table) {
      return Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
        if (!tr.querySelector("td[data-code]")) return null;
        return Array.prototype.filter.call(tr.children, function (c) {
          return c.matches("td.num, td.void");
        });
      });
    }

    function label(td) {
      var input = td.querySelector("input.value");
      return input.getAttribute("aria-label") || td.dataset.code;
    }

    // The panel: a title, then a message, or the cells a block lands in and the values it
    // cannot write; 确定 / 取消 when there is something to write, else 知道了.
    function show(start, title, body, onConfirm) {
      var lines = body.lines || [];
      var skipped = body.skipped || [];
      closePanel(null);
      panel = document.createElement("div");
      panel.className = "paste-preview";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-labelledby", "paste-preview-title");
      var h = document.createElement("h2");
      h.id = "paste-preview-title";
      h.textContent = title;
      panel.append(h);
      if (body.message) {
        var message = document.createElement("p");
        message.textContent = body.message;
        panel.append(message);
      }
      if (lines.length) {
        var list = document.createElement("ol");
        lines.forEach(function (line) {
          var li = document.createElement("li");
          li.textContent = line;
          list.append(li);
        });
        panel.append(list);
      }
      if (skipped.length) {
        var p = document.createElement("p");
        p.className = "paste-skipped";
        p.textContent = "以下值落在合计（自动计算）或没有单元格的位置，不会写入：";
        var more = document.createElement("ul");
        skipped.forEach(function (line) {
          var li = document.createElement("li");
          li.textContent = line;
          more.append(li);
        });
        panel.append(p, more);
      }
      var buttons = document.createElement("div");
      buttons.className = "paste-buttons";
      var first;
      if (onConfirm) {
        var ok = document.createElement("button");
        ok.type = "button";
        ok.className = "button default";
        ok.textContent = "确定";
        ok.addEventListener("click", function () { onConfirm(); closePanel(start); });
        var cancel = document.createElement("button");
        cancel.type = "button";
        cancel.className = "button";
        cancel.textContent = "取消";
        cancel.addEventListener("click", function () { closePanel(start); });
        buttons.append(ok, " ", cancel);
        first = ok;
      } else {
        var close = document.createElement("button");
        close.type = "button";
        close.className = "button";
        close.textContent = "知道了";
        close.addEventListener("click", function () { closePanel(start); });
        buttons.append(close);
        first = close;
      }
      panel.append(buttons);
      // Keep clear of the block: the panel sits across the screen from where it lands.
      var box = start.getBoundingClientRect();
      if (box.top > window.innerHeight / 2) panel.classList.add("at-top");
      if (box.left > window.innerWidth / 2) panel.classList.add("at-left");
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") closePanel(start);
      });
      document.body.append(panel);
      first.focus();
    }

    form.addEventListener("paste", function (event) {
      var start = event.target;
      if (!start.matches || !start.matches("input.value:not([readonly])")) return;
      var text = (event.clipboardData || window.clipboardData).getData("text");
      var lines = text.replace(/\r\n?/g, "\n").split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      if (lines.length <= 1 && (lines[0] || "").indexOf("\t") < 0) return; // one value: as usual
      event.preventDefault();
      var block = lines.map(function (line) {
        return line.split("\t").map(function (v) { return v.trim(); });
      });
      var width = Math.max.apply(null, block.map(function (row) { return row.length; }));
      var size = block.length + " 行 × " + width + " 列";

      var table = start.closest("table");
      var grid = layout(table);
      var td = start.closest("td");
      var row = Array.prototype.indexOf.call(table.tBodies[0].rows, td.parentElement);
      var col = grid[row].indexOf(td);
      var columns = Math.max.apply(null, grid.map(function (r) { return r ? r.length : 0; }));
      var rowsLeft = grid.length - row;
      var columnsLeft = columns - col;
      if (block.length > rowsLeft || width > columnsLeft) {
        show(start, "未粘贴：粘贴的内容（" + size + "）超出了表格", {
          message: "从「" + label(td) + "」起，向右只有 " + columnsLeft + " 列、向下只有 " + rowsLeft +
            " 行。请从更靠左上的单元格粘贴，或少复制几行几列。",
        }, null);
        return;
      }

      var writes = [];
      var previews = [];
      var skipped = [];
      block.forEach(function (values, i) {
        var cellsOfRow = grid[row + i];
        values.forEach(function (value, j) {
          var target = cellsOfRow ? cellsOfRow[col + j] : null;
          var input = target ? target.querySelector("input.value") : null;
          if (!input || input.readOnly) {
            if (value !== "") {
              skipped.push((input ? label(target) + "（合计）" : "第" + (i + 1) + "行第" + (j + 1) + "列（此处没有单元格）") + "：" + value);
            }
            return;
          }
          if (value === input.value) return;
          writes.push([input, value]);
          target.classList.add("paste-target");
          previews.push(label(target) + " ← " + (value === "" ? "（清空）" : value) +
            (input.value !== "" ? "（原为 " + input.value + "）" : ""));
        });
      });
      var title = "粘贴预览（" + size + "）：" + (writes.length ? "将填入 " + writes.length + " 个单元格" : "没有要改动的单元格");
      show(start, title, { lines: previews, skipped: skipped }, writes.length ? function () {
        writes.forEach(function (w) {
          w[0].value = w[1];
          w[0].dispatchEvent(new Event("input", { bubbles: true }));
        });
      } : null);
    });
  }

  document.querySelectorAll("form[data-grid]").forEach(grid);
})();
