// newsdesk pages: the theme toggle, keyboard shortcuts and relative times.
// Every page works without this file; it only makes reading quicker.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;

  // The stored theme, applied before the body is drawn (this file is loaded
  // in the head without defer for that reason).
  function storedTheme() {
    try {
      var t = window.localStorage.getItem("newsdesk-theme");
      return t === "dark" || t === "light" ? t : null;
    } catch (e) {
      return null;
    }
  }
  var initial = storedTheme();
  if (initial) root.setAttribute("data-theme", initial);

  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function ago(then, now) {
    var s = Math.round((now - then) / 1000);
    if (s < 0) return "in the future";
    if (s < 60) return "just now";
    var m = Math.floor(s / 60);
    if (m < 60) return m + " min ago";
    var h = Math.floor(m / 60);
    if (h < 24) return h + " h ago";
    var d = Math.floor(h / 24);
    if (d < 30) return d + (d === 1 ? " day ago" : " days ago");
    var mo = Math.floor(d / 30);
    if (mo < 12) return mo + (mo === 1 ? " month ago" : " months ago");
    var y = Math.floor(d / 365);
    return y + (y === 1 ? " year ago" : " years ago");
  }

  function refreshTimes() {
    var now = Date.now();
    var times = doc.querySelectorAll("time.ago[datetime]");
    for (var i = 0; i < times.length; i++) {
      var t = Date.parse(times[i].getAttribute("datetime"));
      if (!isNaN(t)) times[i].textContent = ago(t, now);
    }
  }

  function cards() {
    return Array.prototype.slice.call(doc.querySelectorAll(".card"));
  }
  var current = -1;

  function select(i) {
    var list = cards();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    for (var k = 0; k < list.length; k++) list[k].classList.remove("current");
    var card = list[current];
    card.classList.add("current");
    var link = card.querySelector("a.headline");
    if (link) link.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  var pendingG = 0;

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var help = doc.getElementById("help");
    if (help && help.open) return;
    var key = e.key;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      if (key === "t") {
        var first = doc.querySelector("#topics a");
        if (first) first.focus();
        e.preventDefault();
        return;
      }
    }
    pendingG = 0;
    if (key === "j") {
      select(current + 1);
    } else if (key === "k") {
      select(current < 0 ? 0 : current - 1);
    } else if (key === "o") {
      var list = cards();
      var card = list[current < 0 ? 0 : current];
      var link = card && card.querySelector("a.headline");
      if (link) window.location.href = link.href;
    } else if (key === "/") {
      var q = doc.getElementById("q");
      if (q) q.focus();
    } else if (key === "g") {
      pendingG = Date.now();
    } else if (key === "?") {
      if (help && typeof help.showModal === "function") help.showModal();
    } else {
      return;
    }
    e.preventDefault();
  }

  function ready() {
    refreshTimes();
    window.setInterval(refreshTimes, 60000);
    doc.addEventListener("keydown", onKey);
    var toggle = doc.getElementById("theme-toggle");
    if (toggle) {
      var label = function () {
        var next = effectiveTheme() === "dark" ? "light" : "dark";
        toggle.textContent = next === "dark" ? "Dark theme" : "Light theme";
        toggle.setAttribute("aria-label", "Switch to the " + next + " theme");
      };
      label();
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var next = effectiveTheme() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try {
          window.localStorage.setItem("newsdesk-theme", next);
        } catch (e) {
          // Private windows may refuse storage: the toggle still works here.
        }
        label();
      });
    }
    var helpButton = doc.getElementById("help-open");
    var help = doc.getElementById("help");
    if (helpButton && help && typeof help.showModal === "function") {
      helpButton.hidden = false;
      helpButton.addEventListener("click", function () {
        help.showModal();
      });
      var close = doc.getElementById("help-close");
      if (close) {
        close.addEventListener("click", function () {
          help.close();
        });
      }
    }
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
