// Cairn presenter view (pages/live_present.html): the session on the projector, kept live.
// The page is complete without this script (it reloads itself); with it, the page follows
// the session over the websocket as a watcher (?watch=1: a trainer's screen that is not a
// person in the room), ticks the timer and answers keyboard shortcuts.
// Protocol: docs/live-protocol.md. A watcher needs no history: on any gap it asks for a
// fresh snapshot.
(function () {
  "use strict";
  var root = document.getElementById("presenter");
  if (!root) return;
  var session = root.dataset.session, lang = root.dataset.contentLang;
  var $ = function (id) { return document.getElementById(id); };
  var msg = function (k) { return root.dataset["msg" + k.charAt(0).toUpperCase() + k.slice(1)] || k; };
  // num writes a number in the page's digits (<html data-digits>, app/locale/numbers.go).
  var digits = document.documentElement.dataset.digits || "";
  function num(n) {
    var s = String(n);
    return digits ? s.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : s;
  }
  // The server's clock, as the page was made: elapsed times are measured on it.
  var offset = Number(root.dataset.now) - Date.now();
  var countdown = Number(root.dataset.countdown) || 0;
  var lessons = (root.dataset.lessons || "").split(" ").filter(Boolean);
  var ws = null, seq = -1, pending = [], backoff = 500, ended = root.dataset.ended === "true";
  var state = { step: null, poll: null };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (attrs[k] !== undefined) e.setAttribute(k, attrs[k]); }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function content(tag, text) { return el(tag, { lang: lang, dir: "auto" }, text); }
  function status(text) { $("present-status").textContent = text; }
  function errorText(code) {
    return root.dataset["err" + code.charAt(0).toUpperCase() + code.slice(1)] || msg("error") + " (" + code + ")";
  }
  function send(obj) {
    if (!ws || ws.readyState !== 1) { status(msg("reconnecting")); return false; }
    ws.send(JSON.stringify(obj));
    return true;
  }

  function connect() {
    status(msg("connecting"));
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/live/" + session + "/ws?watch=1");
    seq = -1; pending = [];
    ws.onopen = function () { status(msg("connected")); };
    ws.onmessage = function (e) {
      var m; try { m = JSON.parse(e.data); } catch (_) { return; }
      receive(m);
    };
    ws.onclose = function (e) {
      if (ended || e.code === 4010) { ended = true; status(msg("ended")); return; }
      status(msg("reconnecting"));
      if (e.code === 1001) backoff = Math.max(backoff, 4000);
      var wait = 250 + Math.random() * Math.min(backoff, 15000);
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    };
  }

  function receive(m) {
    if (m.type === "snapshot") {
      backoff = 500;
      seq = m.seq;
      state.step = m.step || null;
      state.poll = m.poll || null;
      if (m.session && m.session.ended) ended = true;
      var held = pending;
      pending = [];
      render();
      held.filter(function (p) { return p.seq > seq; }).sort(function (a, b) { return a.seq - b.seq; }).forEach(receive);
      return;
    }
    if (m.seq !== undefined) {
      if (seq < 0) { pending.push(m); return; }
      if (m.seq <= seq) return;
      if (m.seq !== seq + 1) { seq = -1; pending = [m]; send({ type: "resync" }); return; }
      seq = m.seq;
    }
    switch (m.type) {
      case "step": state.step = m.step; renderStep(); break;
      case "poll_opened": case "poll_closed": case "poll_revealed":
        var keep = state.poll && state.poll.id === m.poll.id ? state.poll : {};
        state.poll = m.poll;
        if (keep.tally && m.type !== "poll_revealed") state.poll.tally = keep.tally;
        renderPoll(); break;
      case "tally":
        if (state.poll && state.poll.id === m.poll_id) { state.poll.tally = m; renderCount(); }
        break;
      case "ended": ended = true; state.poll = null; render(); status(msg("ended")); break;
      case "stale": seq = -1; pending = []; send({ type: "resync" }); break;
      case "error": status(errorText(m.code)); break;
    }
  }

  function render() { renderStep(); renderPoll(); if (ended) status(msg("ended")); }

  // controls shows the buttons that apply to the session as it stands: close while the poll
  // is open, reveal until it is revealed, none once the session has ended. (Without this
  // script the server renders them so at each reload.)
  function controls() {
    var p = state.poll, box = $("present-controls");
    if (!box) return;
    box.hidden = ended;
    $("present-close").hidden = !(p && p.status === "open");
    $("present-reveal").hidden = !(p && p.status !== "revealed");
  }

  function renderStep() {
    var box = $("present-step"), s = state.step;
    if (!s) { box.replaceChildren(); return; }
    if (!s.lesson) {
      // A plan's discussion prompt or break: its text takes its own direction.
      box.replaceChildren();
      if (s.kind === "break") box.append(el("span", { "class": "step-kind" }, msg("stepBreak") + (s.minutes ? " · " + msg("stepMinutes").replace("{n}", num(s.minutes)) : "")), " ");
      if (s.text) box.append(el("bdi", { "class": "present-step-text", dir: "auto" }, s.text));
      return;
    }
    box.replaceChildren(el("bdi", { lang: lang }, s.title));
    if (s.section_title) box.append(" — ", el("bdi", { lang: lang }, s.section_title));
  }

  function voters(p) { return p.status === "revealed" ? (p.voters || 0) : ((p.tally && p.tally.voters) || 0); }
  function hidden(p) { return p.anonymous && p.status !== "revealed" && voters(p) < p.min_group; }

  function renderPoll() {
    var box = $("present-poll"), p = state.poll;
    controls();
    if (!p) {
      box.replaceChildren(el("p", { "class": "present-waiting" }, ended ? msg("ended") : msg("noPoll")));
      return;
    }
    var children = [content("h1", p.prompt)];
    children[0].className = "present-prompt";
    var meta = el("p", { "class": "present-meta" }), count = el("span", {}, msg("voters") + " ");
    count.append(el("strong", { id: "present-voters" }, num(voters(p))));
    meta.append(count, " ", el("span", { "class": "badge" }, msg(p.status)));
    children.push(meta, el("p", { "class": "present-timer", id: "present-timer" }));
    if (p.status === "revealed") {
      children = children.concat(p.kind === "scale" || p.kind === "text" ? kindResults(p) : results(p));
    } else {
      if (p.kind === "scale") {
        if (p.low_label || p.high_label) {
          var ends = el("p", { "class": "scale-ends present-scale-ends", lang: lang });
          ends.append(el("bdi", {}, "1 " + (p.low_label || "")), el("bdi", {}, "5 " + (p.high_label || "")));
          children.push(ends);
        }
      } else if (p.options && p.options.length) {
        var list = content("ol");
        list.className = "present-options";
        p.options.forEach(function (o) { list.append(el("li", {}, o.text)); });
        children.push(list);
      }
      if (hidden(p)) children.push(el("p", { "class": "hint", id: "present-hidden" }, msg("hidden").replace("{k}", num(p.min_group))));
    }
    box.replaceChildren.apply(box, children);
    tick();
  }

  // results is the revealed poll as a large chart: every bar with its number and share as
  // text, the right answers named in words.
  function results(p) {
    var graded = p.form === "short" || p.form === "ordering", total = p.voters || 0, out = [];
    var bars = graded ? [{ id: "right", text: msg("right") }, { id: "wrong", text: msg("wrong") }] : p.options;
    var list = el("ul", { "class": "present-bars" });
    bars.forEach(function (o) {
      var n = (p.counts || {})[o.id] || 0, pct = total ? Math.floor(n * 100 / total) : 0;
      var right = (p.correct || []).indexOf(o.id) >= 0, li = el("li", right ? { "class": "correct" } : {});
      var label = el("span", { "class": "present-bar-label" });
      label.append(graded ? document.createTextNode(o.text) : el("bdi", { lang: lang }, o.text));
      if (right) label.append(" ", el("span", { "class": "badge" }, msg("correct")));
      li.append(label, el("progress", { max: "100", value: String(pct) }), el("span", { "class": "present-bar-value", dir: "ltr" }, num(n) + " (" + msg("percent").replace("{n}", num(pct)) + ")"));
      list.append(li);
    });
    out.push(list);
    if (p.uncounted) out.push(el("p", { "class": "muted" }, msg("uncounted") + " " + num(p.uncounted)));
    if (p.solution && p.solution.length) {
      var ordered = p.form === "ordering", sol = content(ordered ? "ol" : "ul");
      sol.className = "present-solution";
      p.solution.forEach(function (s) { sol.append(el("li", {}, s)); });
      out.push(el("p", {}, msg(ordered ? "solutionOrder" : "solutionAccepted")), sol);
    }
    if (p.explanation) {
      var ex = content("p", p.explanation);
      ex.className = "present-explain";
      out.push(ex);
    }
    return out;
  }

  // kindResults draws a revealed scale (its bars, the mean and median as text) or an
  // open-text poll's word cloud, as the server does (pages/live_present.html) and with the
  // participants' page's classes (live.js's kindResults), without anyone's own answer.
  function kmsg(k) { var box = $("live-kind-strings"); return (box && box.dataset[k]) || ""; }
  function tenths(x, short) {
    var s = short && x === Math.floor(x) ? String(x) : x.toFixed(1);
    return num(s).replace(".", kmsg("decimal") || ".");
  }
  function kindResults(p) {
    var out = [], counts = p.counts || {};
    if (p.kind === "scale") {
      var stats = el("p", { "class": "scale-stats" });
      if (p.mean !== undefined) {
        stats.append(kmsg("mean") + " ", el("strong", {}, tenths(p.mean, false)), " · " + kmsg("median") + " ", el("strong", {}, tenths(p.median, true)));
      }
      out.push(stats);
      var most = 1, last = p.options.length - 1, bars = el("ol", { "class": "scale-bars" });
      p.options.forEach(function (o) { most = Math.max(most, counts[o.id] || 0); });
      p.options.forEach(function (o, i) {
        var n = counts[o.id] || 0, li = el("li");
        li.append(el("span", { "class": "scale-value" }, num(o.text)), el("progress", { max: String(most), value: String(n) }), el("span", { "class": "scale-count" }, num(n)));
        var end = i === 0 ? p.low_label : (i === last ? p.high_label : "");
        if (end) li.append(el("bdi", { "class": "scale-end", lang: lang }, end));
        bars.append(li);
      });
      out.push(bars);
    } else if (p.cloud && p.cloud.length) {
      var cloud = el("ul", { "class": "cloud", lang: lang, "aria-label": kmsg("cloud") });
      p.cloud.forEach(function (w) {
        var li = el("li", { "class": "cloud-" + w.size });
        li.append(el("bdi", {}, w.text), " ", el("span", { "class": "cloud-count" }, num(w.count)));
        cloud.append(li);
      });
      out.push(cloud);
    } else {
      out.push(el("p", { "class": "muted" }, kmsg("noCloud")));
    }
    if (p.uncounted) out.push(el("p", { "class": "muted" }, msg("uncounted") + " " + num(p.uncounted)));
    return out;
  }

  // renderCount follows the answers as they come, without redrawing the question.
  function renderCount() {
    var p = state.poll, n = $("present-voters");
    if (!p || !n) return;
    n.textContent = num(voters(p));
    var note = $("present-hidden");
    if (note && !hidden(p)) note.remove();
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return num(Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60));
  }
  // tick shows the time since the poll was launched (stopped when it closed) and what is
  // left of the countdown, if one is set.
  function tick() {
    var p = state.poll, box = $("present-timer");
    if (!p || !box || !p.opened_at) return;
    var end = p.closed_at || (Date.now() + offset), elapsed = Math.max(0, (end - p.opened_at) / 1000);
    box.replaceChildren(msg("elapsed") + " ", el("span", { dir: "ltr" }, clock(elapsed)));
    var up = false;
    if (countdown && p.status === "open") {
      var left = countdown - Math.floor(elapsed);
      up = left <= 0;
      box.append(" · ");
      if (up) box.append(msg("timeUp"));
      else box.append(msg("remaining") + " ", el("span", { dir: "ltr" }, clock(left)));
    }
    box.classList.toggle("time-up", up);
  }
  setInterval(tick, 1000);

  // The countdown applies at once; it stays in the address, so a reload keeps it.
  var picker = $("present-countdown");
  $("present-countdown-set").hidden = true;
  picker.addEventListener("change", function () {
    countdown = Number(picker.value) || 0;
    var url = new URL(location.href);
    if (countdown) url.searchParams.set("countdown", String(countdown)); else url.searchParams.delete("countdown");
    history.replaceState(null, "", url.toString());
    tick();
  });

  // Keyboard shortcuts, by the letter on a Latin keyboard, or by the key in that place on
  // any other (an Arabic layout types other letters).
  var keys = { r: reveal, c: close, n: next, f: fullscreen, q: toggleJoin };
  function reveal() { var p = state.poll; if (p && p.status !== "revealed") send({ type: "poll_reveal", poll_id: p.id }); }
  function close() { var p = state.poll; if (p && p.status === "open") send({ type: "poll_close", poll_id: p.id }); }
  function nextLesson() {
    var at = state.step ? lessons.indexOf(state.step.lesson) : -1;
    if (at + 1 < lessons.length) send({ type: "step", lesson: lessons[at + 1] });
  }
  // next performs the session plan's next step, as the console's "Next step" does
  // (POST /live/:id/plan/next), or, without a plan, shows the next lesson. The plan's
  // position is read afresh from this page as the server has it (the console may have
  // moved it on since); the form names that position, so a key pressed twice before the
  // first answer, or with the console's button at the same moment, performs one step.
  var busy = false;
  function next() {
    if (busy) return;
    busy = true;
    fetch(location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("presenter");
        if (!fresh || fresh.dataset.plan !== "true") { nextLesson(); return; }
        root.dataset.plan = "true";
        root.dataset.planPosition = fresh.dataset.planPosition;
        var key = $("present-key-next");
        if (key) key.textContent = key.dataset.planText;
        var button = document.querySelector("#present-next button");
        if (button) button.textContent = button.dataset.planText;
        var body = new URLSearchParams({ csrf_token: root.dataset.csrf, from: fresh.dataset.planPosition });
        return fetch("/live/" + session + "/plan/next", { method: "POST", body: body, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (page) {
            // The answer is the console, with what happened as its notice (the step itself
            // comes over the websocket).
            var note = new DOMParser().parseFromString(page, "text/html").querySelector("main > .notice[role=status]");
            if (note) status(note.textContent);
          });
      })
      .catch(function (code) { status(errorText(String(code))); })
      .then(function () { busy = false; });
  }
  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }
  // toggleJoin puts the join code and QR code away or brings them back; the address keeps
  // it (?join=hide), as the link that does the same without this script.
  function toggleJoin() {
    var box = $("present-join"), link = $("present-join-toggle");
    box.hidden = !box.hidden;
    if (link) link.textContent = box.hidden ? link.dataset.show : link.dataset.hide;
    var url = new URL(location.href);
    if (box.hidden) url.searchParams.set("join", "hide"); else url.searchParams.delete("join");
    history.replaceState(null, "", url.toString());
  }
  // The page's buttons are forms that work without this script; with it they do what
  // their key does, over the websocket, and the page stays. While the websocket is down
  // they are posted as forms, leading back to the view as it is now (its countdown and
  // join code, which this script may have changed since the page was served).
  document.querySelectorAll("#present-controls form[data-key]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!ws || ws.readyState !== 1) {
        var now = new URL(location.href).searchParams;
        ["countdown", "join"].forEach(function (name) {
          var input = form.querySelector("input[name=" + name + "]");
          if (!input) { input = el("input", { type: "hidden", name: name }); form.append(input); }
          input.value = now.get(name) || "";
        });
        return;
      }
      e.preventDefault();
      keys[form.dataset.key]();
    });
  });
  var joinLink = $("present-join-toggle");
  if (joinLink) joinLink.addEventListener("click", function (e) { e.preventDefault(); toggleJoin(); });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
    if (e.key === "?" || e.key === "\u061f") { var d = $("present-keys"); d.open = !d.open; e.preventDefault(); return; }
    var k = /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() : (/^Key[A-Z]$/.test(e.code) ? e.code.slice(3).toLowerCase() : "");
    if (keys[k]) { e.preventDefault(); keys[k](); }
  });

  if (ended) { status(msg("ended")); return; }
  connect();
})();
