// Cairn live sessions: the trainer's console, and the participant's page enhanced. The
// participant's page works without JavaScript (its live part is a frame that refreshes
// itself, live_frame.go); once this script has the state from the websocket it removes the
// frame and shows the same here, sending over the websocket, and gives the frame back if
// the connection stays lost. Its forms are real forms: sent over the websocket when it is
// open, posted as usual when it is not.
// Protocol: docs/live-protocol.md. State comes as a snapshot, then numbered events; events
// at or below the snapshot's number are already in it; a gap means we missed something, so
// we ask for what we missed from our number ("since"): the server replays it, or sends a
// fresh snapshot when it no longer can. Reconnects wait a random time (full jitter) under a
// ceiling that doubles from 0.5 s to 15 s, so a room that loses its instance does not come
// back all in the same instant, and resume from our number the same way.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var session = root.dataset.session;
  var trainer = root.dataset.role === "trainer";
  var msg = function (k) { return root.dataset["msg" + k.charAt(0).toUpperCase() + k.slice(1)] || k; };
  var $ = function (id) { return document.getElementById(id); };
  var ws = null, seq = -1, synced = false, pending = [], backoff = 500, refCount = 0, ended = false;
  // Whether the state shown can be brought up to date by replaying what was missed: not
  // before the first snapshot, nor when an action was unconfirmed at a disconnect (only a
  // snapshot says whether it was recorded).
  var resumable = false;
  // Messages sent and not yet acknowledged, by ref: what to put back if the server refuses
  // them or the connection drops first, so a refused vote or question is never silently lost.
  var unconfirmed = {};
  // What to do once the server acknowledges a message, by ref (the console's forms).
  var acked = {};
  var state = { poll: null, questions: {}, step: null };
  // The lesson the page shows (server-rendered, then fetched on each step).
  var shownLesson = root.dataset.lesson || "";
  var contentLang = root.dataset.contentLang, contentDir = root.dataset.contentDir;

  // num writes a number in the page's digits: <html data-digits> has them for a language
  // whose interface does not use 0–9 (Persian: ۰–۹, app/locale/numbers.go). Values sent to
  // the server stay in ASCII digits.
  var digits = document.documentElement.dataset.digits || "";
  function num(n) {
    var s = String(n);
    return digits ? s.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : s;
  }
  function setCount(n) { var c = $("live-count"); c.dataset.n = String(n); c.textContent = num(n); }
  function status(text) { var s = $("live-status"); s.textContent = text; s.hidden = false; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (attrs[k] !== undefined) e.setAttribute(k, attrs[k]); }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // labelled is a label whose text, typed by a trainer, is isolated in a <bdi>.
  function labelled(id, text) {
    var l = el("label", { "for": id });
    l.append(el("bdi", {}, text));
    return l;
  }
  function errorText(code) {
    var key = "err" + code.charAt(0).toUpperCase() + code.slice(1), box = $("console");
    return root.dataset[key] || (box && box.dataset[key]) || kmsg(key) || msg("error") + " (" + code + ")";
  }
  function send(obj, undo) {
    if (!ws || ws.readyState !== 1) { status(msg("reconnecting")); return false; }
    obj.ref = String(++refCount);
    if (undo) unconfirmed[obj.ref] = undo;
    ws.send(JSON.stringify(obj));
    return true;
  }
  function settle(ref, code) {
    var undo = unconfirmed[ref], done = acked[ref];
    delete unconfirmed[ref];
    delete acked[ref];
    if (undo && code) undo(code);
    if (done && !code) done();
  }

  function connect() {
    status(msg("connecting"));
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var since = resumable && seq > 0 ? "?since=" + seq : "";
    ws = new WebSocket(proto + "//" + location.host + "/live/" + session + "/ws" + since);
    synced = false; pending = [];
    ws.onopen = function () { status(msg("connected")); };
    ws.onmessage = function (e) {
      var m; try { m = JSON.parse(e.data); } catch (_) { return; }
      receive(m);
    };
    ws.onclose = function (e) {
      var lost = unconfirmed;
      unconfirmed = {};
      acked = {};
      if (Object.keys(lost).length) resumable = false;
      Object.keys(lost).forEach(function (ref) { lost[ref]("connection"); });
      if (ended || e.code === 4010) { status(msg("ended")); return; }
      status(msg("reconnecting"));
      frameIfStillLost();
      // 1001: the instance is shutting down and its whole room reconnects at once; start
      // the spread wider. A refused attempt (503 while an instance drains, or none up) never
      // opens, so the wait keeps doubling: browsers do not show the status or Retry-After.
      if (e.code === 1001) backoff = Math.max(backoff, 4000);
      var wait = 250 + Math.random() * Math.min(backoff, 15000);
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    };
  }

  function receive(m) {
    if (m.type === "snapshot" || m.type === "replay") {
      // Reset only once the server has served us: one that accepts and drops at once
      // would otherwise be retried every half second.
      backoff = 500;
      var held = pending;
      pending = [];
      if (m.type === "snapshot") {
        applySnapshot(m);
        synced = true;
      } else {
        // The events after our number, oldest first: applied as if they had just arrived.
        synced = true;
        (m.events || []).forEach(receive);
        if (!synced) return; // a gap inside the replay: a resync is on its way
        if (m.seq > seq) seq = m.seq;
      }
      resumable = true;
      takeOver();
      held.filter(function (p) { return p.seq > seq; }).sort(function (a, b) { return a.seq - b.seq; }).forEach(receive);
      return;
    }
    if (m.seq !== undefined) {
      if (!synced) { pending.push(m); return; }
      if (m.seq <= seq) return;
      if (m.seq !== seq + 1) { synced = false; pending = [m]; resync(); return; }
      seq = m.seq;
    }
    apply(m);
  }

  // resync asks for what was missed since our number (a replay), or a snapshot if we have
  // no number we can trust.
  function resync() {
    send(resumable && seq > 0 ? { type: "resync", since: seq } : { type: "resync" });
  }

  function applySnapshot(s) {
    seq = s.seq;
    state.step = s.step || null;
    var before = state.poll;
    state.poll = s.poll || null;
    if (state.poll) {
      // Our own answer: kept by the server for a poll that is not anonymous (a choice, or
      // right or wrong once revealed); remembered here for one we answered on this page.
      if (state.poll.my_choice) state.poll.mine = state.poll.my_choice.split(",");
      else if (before && before.id === state.poll.id && before.mine) state.poll.mine = before.mine;
    }
    state.questions = {};
    (s.questions || []).forEach(addQuestion);
    if (trainer) { setCount(s.participants || 0); renderHands(s.hands || []); }
    if (s.session && s.session.ended) { ended = true; status(msg("ended")); }
    renderStep(false); renderPoll(); renderQuestions();
    if (trainer) renderConsole();
  }

  function apply(m) {
    switch (m.type) {
      case "step": state.step = m.step; renderStep(true); break;
      case "poll_opened": case "poll_closed": case "poll_revealed":
        var keep = state.poll && state.poll.id === m.poll.id ? state.poll : {};
        state.poll = m.poll;
        if (keep.voted) { state.poll.voted = true; }
        if (keep.mine) { state.poll.mine = keep.mine; }
        if (keep.tally && m.type !== "poll_revealed") { state.poll.tally = keep.tally; }
        // A graded answer is kept as right or wrong, and told only with a snapshot once
        // revealed (telling it sooner would give the answer away): ask for one.
        if (m.type === "poll_revealed" && !trainer && state.poll.voted && !state.poll.anonymous && graded(state.poll)) send({ type: "resync" });
        renderPoll();
        if (m.type === "poll_opened") notifyPoll();
        break;
      case "tally": if (state.poll && state.poll.id === m.poll_id) { state.poll.tally = m; renderPoll(); } break;
      case "presence": setCount(m.participants); break;
      case "hands": renderHands(m.names); break;
      case "question": addQuestion(m.question); renderQuestions(); break;
      case "ended": ended = true; status(msg("ended")); location.href = m.summary; break;
      case "ack": settle(m.ref); break;
      case "stale": synced = false; pending = []; resync(); break;
      case "error": status(errorText(m.code)); if (m.ref) settle(m.ref, m.code); break;
    }
    if (trainer) renderConsole();
  }

  // renderStep shows the lesson the session is on, unless the page shows it already: the
  // reader stays where they are. moved: the trainer has just taken everyone there (then a
  // section is scrolled to).
  function renderStep(moved) {
    var box = $("live-step"), step = state.step;
    if (!step) return;
    if (!step.lesson) { shownLesson = ""; renderTextStep(box, step); return; }
    var toSection = function () {
      if (moved && step.section) { var t = document.getElementById(step.section); if (t) t.scrollIntoView(); }
    };
    if (step.lesson === shownLesson) { toSection(); return; }
    box.replaceChildren(el("p", {}, "…"));
    fetch("/live/" + session + "/lesson?lesson=" + encodeURIComponent(step.lesson), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        box.replaceChildren(doc.body.firstElementChild);
        shownLesson = step.lesson;
        toSection();
      })
      .catch(function () { box.replaceChildren(el("a", { href: step.href }, step.title)); });
  }

  // Short answers and orderings are graded by the server and counted as right or wrong.
  function graded(p) { return p.form === "short" || p.form === "ordering"; }

  // contentText is text of the poll: a course's question in the course's language (lang,
  // dir), whatever the page's; a poll the trainer typed isolated in its own direction.
  function contentText(p, tag, text, cls) {
    if (p.kind === "quiz") return el(tag, { lang: contentLang, dir: contentDir, "class": cls }, text);
    return el(tag, { dir: "auto", "class": cls }, text);
  }
  // optionLabel is an answer as shown: True and False in the reader's language.
  function optionLabel(p, o) {
    var tf = p.kind === "quiz" && p.options.length === 2 && p.options[0].id === "true" && p.options[1].id === "false";
    if (tf) return el("span", {}, msg(o.id));
    return contentText(p, "span", o.text);
  }
  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; });
  }

  // A step that is a text (a session plan's discussion prompt or break), not a lesson. The
  // text takes its own direction: it may be written in another language than the page's.
  function renderTextStep(box, step) {
    var out = [];
    if (step.kind === "break") {
      out.push(el("p", { "class": "step-kind" }, msg("stepBreak") + (step.minutes ? " · " + msg("stepMinutes").replace("{n}", num(step.minutes)) : "")));
    }
    if (step.text) out.push(el("p", { "class": "step-prompt", dir: "auto" }, step.text));
    box.replaceChildren.apply(box, out);
  }

  function renderPoll() {
    var box = $("live-poll"), p = state.poll;
    if (!p) { box.hidden = true; hideJump(); return; }
    box.hidden = false;
    var heading = el("h2", { id: "live-poll-heading" });
    heading.append(el("span", { "class": "muted" }, msg("poll") + ": "), contentText(p, "span", p.prompt, "prompt"));
    var children = [heading];
    var tally = p.tally || {};
    var isGraded = graded(p);
    if (p.status === "open" && !trainer && !p.voted) {
      children.push(voteForm(p));
    } else if (p.status === "open" && !trainer) {
      children.push(el("p", {}, msg("voted")));
    } else if (p.status === "closed" && !trainer) {
      children.push(el("p", {}, msg("pollClosed")));
    }
    if (trainer && p.form === "ordering") {
      // The trainer reads the items out; participants see them in this order too.
      var items = el("ul", { "class": "muted" });
      p.options.forEach(function (o) { items.append(el("li", {}, o.text)); });
      children.push(items);
    }
    var counts = p.status === "revealed" ? p.counts : tally.counts;
    var voters = p.status === "revealed" ? p.voters : tally.voters;
    // Once revealed, the participant learns whether they were right, and sees their answer
    // marked among the results.
    var mine = p.status === "revealed" && !trainer ? p.mine || null : null;
    if (p.status === "revealed" && !trainer && p.voted) {
      var right = isGraded ? ["right"] : p.correct || [];
      if (mine && right.length) {
        var ok = sameSet(mine, right);
        children.push(el("p", { "class": "outcome " + (ok ? "right" : "wrong") }, msg(ok ? "youRight" : "youWrong")));
      } else if (!mine && p.anonymous) {
        children.push(el("p", { "class": "muted" }, msg("notKept")));
      }
    }
    if (isKindPoll(p)) {
      children.push.apply(children, kindResults(p));
    } else if (counts) {
      var total = voters || 0, list = el("ul", { "class": "bars" });
      var bars = isGraded ? [{ id: "right", label: el("span", {}, msg("right")) }, { id: "wrong", label: el("span", {}, msg("wrong")) }]
        : p.options.map(function (o) { return { id: o.id, label: optionLabel(p, o) }; });
      bars.forEach(function (o) {
        var n = counts[o.id] || 0, isMine = mine && mine.indexOf(o.id) >= 0;
        var li = el("li", isMine ? { "class": "mine" } : {}), label = el("span", { "class": "bar-label" });
        label.append(o.label);
        if (!isGraded && p.correct && p.correct.indexOf(o.id) >= 0) label.append(" ", el("span", { "class": "badge" }, msg("correct")));
        if (isMine) label.append(" ", el("span", { "class": "badge mine" }, msg("answer")));
        li.append(label, el("progress", { max: String(Math.max(total, 1)), value: String(n), "aria-hidden": "true" }), el("span", { "class": "bar-count" }, num(n)));
        list.append(li);
      });
      children.push(list);
    }
    if (trainer || p.status === "revealed") children.push(el("p", { "class": "muted" }, msg("voters") + " " + num(voters || 0)));
    if (p.status === "revealed" && p.uncounted) children.push(el("p", { "class": "muted" }, msg("uncounted") + " " + num(p.uncounted)));
    if (p.solution && p.solution.length) {
      var ordered = p.form === "ordering", solution = el(ordered ? "ol" : "ul", { lang: contentLang, dir: contentDir });
      p.solution.forEach(function (s) { solution.append(el("li", {}, s)); });
      children.push(el("p", {}, msg(ordered ? "solutionOrder" : "solutionAccepted")), solution);
    }
    if (p.explanation) children.push(el("p", { lang: contentLang, dir: contentDir }, p.explanation));
    // The trainer closes and reveals from the console (renderConsolePoll).
    box.replaceChildren.apply(box, children);
  }

  // voteForm is the participant's answer form: a real form (it posts as usual if the
  // connection is down when it is sent), sent over the websocket when it is up.
  function voteForm(p) {
    var form = el("form", { id: "form-vote", method: "post", action: "/live/" + session + "/vote" });
    form.append(el("input", { type: "hidden", name: "csrf_token", value: root.dataset.csrf }),
      el("input", { type: "hidden", name: "poll", value: String(p.id) }));
    if (isKindPoll(p)) {
      form.append(kindField(p));
    } else if (p.form === "short") {
      var field = el("div", { "class": "field" });
      field.append(el("label", { "for": "vote-text" }, msg("answer")), el("input", { type: "text", id: "vote-text", name: "answer", maxlength: "200", autocomplete: "off", required: "" }));
      form.append(field);
    } else if (p.form === "ordering") {
      form.append(el("p", { "class": "muted" }, msg("orderHint")));
      p.options.forEach(function (o, i) {
        var row = el("div", { "class": "field order-item" }), select = el("select", { id: "place-" + o.id, name: "place", "data-item": o.id });
        for (var n = 1; n <= p.options.length; n++) select.append(el("option", { value: String(n) }, num(n)));
        select.value = String(i + 1);
        var label = el("label", { "for": "place-" + o.id });
        label.append(contentText(p, "span", o.text));
        row.append(el("input", { type: "hidden", name: "item", value: o.id }), label, select);
        form.append(row);
      });
    } else {
      if (p.multiple) form.append(el("p", { "class": "muted" }, msg("several")));
      p.options.forEach(function (o) {
        var id = "vote-" + o.id, row = el("div", { "class": "field checkbox" }), label = el("label", { "for": id });
        label.append(optionLabel(p, o));
        row.append(el("input", { type: p.multiple ? "checkbox" : "radio", name: "choice", value: o.id, id: id }), label);
        form.append(row);
      });
    }
    form.append(el("button", { type: "submit" }, msg("send")));
    form.addEventListener("submit", function (ev) {
      if (!ws || ws.readyState !== 1) return; // posted as a form
      ev.preventDefault();
      var answer = readAnswer(p, form);
      if (!answer) return;
      var sent = send(answer.vote, function (code) {
        // Refused for good (already counted, or the poll moved on): nothing to give back.
        // Otherwise show the form again with the same answer in it. After a dropped
        // connection, the snapshot says whether the vote was counted.
        if (code === "already_voted" || code === "poll_closed" || code === "unknown_poll" || code === "session_ended") return;
        if (state.poll !== p || code === "connection") return;
        p.voted = false;
        delete p.mine;
        renderPoll();
        answer.restore();
      });
      if (sent) {
        p.voted = true;
        if (answer.mine) p.mine = answer.mine;
        renderPoll();
      }
    });
    return form;
  }

  // A poll that opens while the reader is further down the page: a notice at the bottom of
  // the screen takes them to it.
  var jumpWatch = null, pollInView = true;
  function notifyPoll() {
    var jump = $("live-jump");
    if (!jump || trainer) return;
    if (!jumpWatch && "IntersectionObserver" in window) {
      jumpWatch = new IntersectionObserver(function (entries) {
        pollInView = entries[entries.length - 1].isIntersecting;
        if (pollInView) hideJump();
      });
      jumpWatch.observe($("live-poll"));
    }
    var r = $("live-poll").getBoundingClientRect();
    pollInView = r.top < window.innerHeight && r.bottom > 0;
    if (!pollInView) jump.hidden = false;
  }
  function hideJump() { var jump = $("live-jump"); if (jump) jump.hidden = true; }

  // readAnswer turns the vote form into a vote message, and a way to put the same answer
  // back into the form if the server refuses it; null when there is nothing to send yet.
  function readAnswer(p, form) {
    if (p.form === "short" || p.form === "text") {
      var text = $("vote-text").value.trim();
      if (!text) return null;
      return { vote: { type: "vote", poll_id: p.id, text: text }, restore: function () { $("vote-text").value = text; } };
    }
    if (p.form === "ordering") {
      var selects = Array.prototype.slice.call(form.querySelectorAll("select")), order = [], places = {};
      selects.forEach(function (s) { order[Number(s.value) - 1] = s.dataset.item; places[s.id] = s.value; });
      if (order.filter(Boolean).length !== selects.length) { status(errorText("bad_order")); return null; }
      return { vote: { type: "vote", poll_id: p.id, order: order }, restore: function () {
        Object.keys(places).forEach(function (id) { var s = $(id); if (s) s.value = places[id]; });
      } };
    }
    var picked = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (c) { return c.value; });
    if (!picked.length) return null;
    return {
      vote: p.multiple ? { type: "vote", poll_id: p.id, choices: picked } : { type: "vote", poll_id: p.id, choice: picked[0] },
      mine: picked,
      restore: function () { picked.forEach(function (id) { var again = $("vote-" + id); if (again) again.checked = true; }); }
    };
  }

  // Question ids are random (they must not tell which came first), so the order questions
  // arrived in is kept here: the snapshot's order, then each new one after.
  var arrived = 0;
  function addQuestion(q) {
    var known = state.questions[q.id];
    q.arrived = known ? known.arrived : arrived++;
    state.questions[q.id] = q;
  }

  function renderQuestions() {
    var list = $("live-questions");
    var qs = Object.keys(state.questions).map(function (k) { return state.questions[k]; })
      .filter(function (q) { return trainer || !q.hidden; })
      .sort(function (a, b) { return b.upvotes - a.upvotes || a.arrived - b.arrived; });
    list.replaceChildren.apply(list, qs.map(function (q) {
      var li = el("li", { "class": q.answered ? "answered" : "" });
      // <bdi> keeps a question or a name written right to left (or carrying direction
      // controls stored before they were stripped) from reordering the text around it.
      var meta = el("span", { "class": "muted small" }, " — ");
      meta.append(el("bdi", {}, q.author || msg(q.author_deleted ? "deletedUser" : "anonymous")), " · " + num(q.upvotes));
      li.append(el("bdi", {}, q.body), meta);
      var b;
      if (!trainer) {
        b = el("button", { type: "button", "class": "small secondary" }, msg("upvote"));
        b.addEventListener("click", function () { send({ type: "upvote", question: q.id }); });
        li.append(" ", b);
      } else {
        trainerQuestionControls(li, meta, q);
      }
      return li;
    }));
    var count = $("live-questions-count");
    if (count) count.textContent = num(qs.length);
    var none = $("live-questions-none");
    if (none) none.hidden = qs.length > 0;
  }

  // ---- The trainer's question list and an open-text poll's answers
  // (partials/live_console_questions.html): each control is a form as the server renders
  // it, sent over the websocket while it is open, posted as it is when it is not.
  var questionsBox = $("questions");
  function qmsg(k) { return (questionsBox && questionsBox.dataset[k]) || msg(k); }
  function postForm(path, action, fields, label) {
    var form = el("form", { method: "post", action: "/live/" + session + "/console/" + path, "class": "inline" });
    form.append(el("input", { type: "hidden", name: "csrf_token", value: root.dataset.csrf }));
    Object.keys(fields).forEach(function (k) { form.append(el("input", { type: "hidden", name: k, value: String(fields[k]) })); });
    form.append(el("button", { type: "submit", "class": "small secondary", "data-action": action }, label));
    return form;
  }
  function trainerQuestionControls(li, meta, q) {
    if (q.answered) meta.append(" · " + qmsg("answered"));
    if (q.hidden) meta.append(" · " + qmsg("hidden"));
    if (ended) return;
    if (!q.answered) li.append(" ", postForm("answered", "answered", { question: q.id }, qmsg("markAnswered")));
    if (!q.hidden) li.append(" ", postForm("hide", "hide", { question: q.id }, msg("hide")));
  }
  // sendForm sends a control's form as its websocket message; false: not sent, so the
  // form is posted.
  function sendForm(ev, message) {
    if (!send(message, function (code) { if (code !== "connection") status(errorText(code)); })) return;
    ev.preventDefault();
  }
  on("questions", "submit", function (ev) {
    var b = ev.target.querySelector("button[data-action]"), q = ev.target.querySelector("input[name=question]");
    if (b && q) sendForm(ev, { type: b.dataset.action, question: Number(q.value) });
  });
  function hideWordSubmit(ev) {
    var b = ev.target.querySelector("button[data-action=hide_word]");
    if (!b) return;
    sendForm(ev, { type: "hide_word", poll_id: Number(ev.target.querySelector("input[name=poll]").value), word: ev.target.querySelector("input[name=word]").value });
  }
  if (trainer) {
    on("live-poll", "submit", hideWordSubmit);
    on("console-poll", "submit", hideWordSubmit);
  }

  function renderHands(names) {
    var out = $("live-hands");
    if (!names.length) { out.textContent = "–"; return; }
    out.replaceChildren();
    names.forEach(function (n, i) { if (i) out.append(cmsg("comma")); out.append(el("bdi", {}, n)); });
  }

  function on(id, event, fn) { var e = $(id); if (e) e.addEventListener(event, fn); }
  on("form-ask", "submit", function (ev) {
    var sentNote = $("ask-sent"); // the confirmation of the question sent before
    if (sentNote) sentNote.remove();
    if (!ws || ws.readyState !== 1) return; // posted as a form
    ev.preventDefault();
    var box = $("ask-body"), body = box.value.trim();
    var sent = body && send({ type: "ask", body: body, anonymous: $("ask-anon").checked }, function (code) {
      if (code === "session_ended") return;
      if (!box.value.trim()) box.value = body; // never overwrite what was typed since
      if (code === "connection") status(msg("unconfirmed"));
      box.focus();
    });
    if (sent) box.value = "";
  });
  // The hand's button says what it does next; the page says how it stands when it loads.
  on("live-hand", "click", function () {
    var b = $("live-hand"), up = b.dataset.raised !== "true";
    var show = function (raised) { b.dataset.raised = String(raised); b.textContent = msg(raised ? "lowerHand" : "raiseHand"); };
    if (send({ type: "hand", raised: up }, function () { show(!up); })) show(up);
  });

  // Scale (1 to 5) and open-text polls. The server sends what to draw: a scale's counts,
  // mean and median; an open-text poll's word cloud, in order and in size classes (cloud-1
  // to cloud-5, styled by cairn.css), and the answers for trainers. The same is rendered
  // without JavaScript by partials/live_poll_scale.html and live_poll_text.html.
  function kmsg(k) {
    var box = $("live-kind-strings");
    return (box && box.dataset[k]) || "";
  }
  function isKindPoll(p) { return p.kind === "scale" || p.form === "text"; }
  function tenths(x, short) {
    var s = short && x === Math.floor(x) ? String(x) : x.toFixed(1);
    return num(s).replace(".", kmsg("decimal") || ".");
  }

  // kindField is the answer part of a scale's or an open-text poll's vote form. Its inputs
  // are named as readAnswer reads them: vote-<option> radios, or vote-text.
  function kindField(p) {
    var note = p.anonymous ? el("p", { "class": "hint" }, kmsg("anonymous")) : null;
    if (p.form === "text") {
      var field = el("div", { "class": "field" });
      field.append(el("label", { "for": "vote-text" }, kmsg("yourAnswer")),
        el("input", { type: "text", id: "vote-text", name: "answer", maxlength: String(p.max_length || 40), autocomplete: "off", dir: "auto", required: "", "aria-describedby": "vote-text-hint" }),
        el("p", { "class": "hint", id: "vote-text-hint" }, kmsg("textHint") + (p.anonymous ? " " + kmsg("anonymous") : "")));
      return field;
    }
    var set = el("fieldset", { "class": "scale" });
    set.append(el("legend", { "class": "visually-hidden" }, p.prompt));
    if (p.low_label || p.high_label) {
      var ends = el("p", { "class": "scale-ends" });
      ends.append(el("bdi", { id: "scale-low" }, p.low_label || ""), el("bdi", { id: "scale-high" }, p.high_label || ""));
      set.append(ends);
    }
    var points = el("div", { "class": "scale-points" }), last = p.options.length - 1;
    p.options.forEach(function (o, i) {
      var label = el("label", { "class": "scale-point" });
      var describe = i === 0 && p.low_label ? "scale-low" : (i === last && p.high_label ? "scale-high" : undefined);
      label.append(el("input", { type: "radio", name: "choice", value: o.id, id: "vote-" + o.id, required: "", "aria-describedby": describe }), el("span", {}, num(o.text)));
      points.append(label);
    });
    set.append(points);
    if (note) set.append(note);
    return set;
  }

  // kindResults draws a scale's bars or an open-text poll's cloud: the revealed results, or
  // for trainers the tally (which the server sends only when they may see it).
  function kindResults(p) {
    var src = p.status === "revealed" ? p : (p.tally || {}), out = [];
    if (p.kind === "scale") {
      if (!src.counts) return out;
      if (src.mean !== undefined) {
        out.push(el("p", { "class": "scale-stats" }, kmsg("mean") + " " + tenths(src.mean, false) + " · " + kmsg("median") + " " + tenths(src.median, true)));
      }
      var most = 1, last = p.options.length - 1, bars = el("ol", { "class": "scale-bars" });
      p.options.forEach(function (o) { most = Math.max(most, src.counts[o.id] || 0); });
      p.options.forEach(function (o, i) {
        var n = src.counts[o.id] || 0, mine = p.my_choice === o.id, li = el("li", { "class": mine ? "mine" : undefined });
        li.append(el("span", { "class": "scale-value" }, num(o.text)), el("progress", { max: String(most), value: String(n) }), el("span", { "class": "scale-count" }, num(n)));
        var end = i === 0 ? p.low_label : (i === last ? p.high_label : "");
        if (end) li.append(el("bdi", { "class": "scale-end" }, end));
        if (mine) li.append(el("span", { "class": "scale-mine badge" }, kmsg("yourAnswer")));
        bars.append(li);
      });
      out.push(bars);
      return out;
    }
    if (src.cloud && src.cloud.length) {
      var cloud = el("ul", { "class": "cloud", "aria-label": kmsg("cloud") });
      src.cloud.forEach(function (w) {
        var li = el("li", { "class": "cloud-" + w.size });
        li.append(el("bdi", {}, w.text), " ", el("span", { "class": "cloud-count" }, num(w.count)));
        cloud.append(li);
      });
      out.push(cloud);
    } else if (p.status === "revealed") {
      out.push(el("p", { "class": "muted" }, kmsg("noCloud")));
    }
    if (p.my_choice) {
      var mine = el("p", { "class": "poll-mine" }, kmsg("yourAnswer") + ": ");
      mine.append(el("bdi", {}, p.my_choice));
      out.push(mine);
    }
    if (trainer && p.tally && p.tally.answers) out.push.apply(out, answerList(p, p.tally.answers));
    return out;
  }

  // answerList is every answer of an open-text poll, for trainers, each with a button that
  // hides its word from the cloud (for everyone; it cannot be undone).
  function answerList(p, answers) {
    var list = el("ul", { "class": "poll-answers" });
    answers.forEach(function (a) {
      var li = el("li", { "class": a.hidden ? "hidden-word" : undefined });
      li.append(el("bdi", {}, a.text));
      if (a.author || a.author_deleted) {
        var by = el("span", { "class": "muted small" }, " — ");
        by.append(el("bdi", {}, a.author || msg("deletedUser")));
        li.append(by);
      }
      if (a.hidden) {
        li.append(el("span", { "class": "muted small" }, " · " + kmsg("hidden")));
      } else {
        li.append(" ", postForm("hide-word", "hide_word", { poll: p.id, word: a.text }, kmsg("hideWord")));
      }
      list.append(li);
    });
    return [el("h3", {}, kmsg("answers") + " (" + answers.length + ")"), list];
  }

  // ---- Trainer console (partials/live_console.html). Its state is on the page and its
  // forms work without this script (app/web/live_console_*.go); here the forms go over the
  // websocket, and the console follows the room. A form whose message cannot be sent (no
  // connection) is submitted as it is.
  var consoleBox = $("console"), consoleError = "", consolePollKey = "";
  function cmsg(k) { return consoleBox.dataset["console" + k.charAt(0).toUpperCase() + k.slice(1)] || k; }
  function contentBdi(text) { return el("bdi", { lang: consoleBox.dataset.contentLang }, text); }
  // sendThen sends a console message: done runs once the server acknowledges it, fail with
  // the error code if it refuses it or the connection drops first. False: not sent.
  function sendThen(obj, done, fail) {
    if (!send(obj, fail)) return false;
    if (done) acked[obj.ref] = done;
    return true;
  }
  function showError(id, text) { var e = $(id); if (e) { e.textContent = text; e.hidden = !text; } }

  function renderConsole() {
    if (!consoleBox) return;
    var now = $("console-step-now");
    if (!state.step) now.textContent = cmsg("nothing");
    else {
      now.replaceChildren(cmsg("now") + " ", contentBdi(state.step.title));
      if (state.step.section_title) now.append(" — ", contentBdi(state.step.section_title));
    }
    renderConsolePoll();
    smallRoomWarning();
  }

  // renderConsolePoll shows the current poll's state beside its close and reveal forms. The
  // count changes several times a second: the forms are rebuilt only when the poll, its
  // status or what can be done with it change, so a focused button stays focused.
  function renderConsolePoll() {
    var box = $("console-poll-body"), p = state.poll;
    if (!p) { consolePollKey = ""; box.replaceChildren(el("p", { "class": "muted" }, cmsg("noPoll"))); return; }
    var voters = p.status === "revealed" ? (p.voters || 0) : ((p.tally && p.tally.voters) || 0);
    var hidden = p.anonymous && p.status !== "revealed" && voters < p.min_group;
    var key = [p.id, p.status, hidden, consoleError].join("|");
    if (key === consolePollKey) {
      $("console-voters").textContent = num(voters);
      if (hidden) $("console-min").textContent = cmsg("min").replace("{n}", num(voters));
      return;
    }
    consolePollKey = key;
    var head = el("p"), count = el("p", {}, cmsg("voters") + " ");
    head.append(contentBdi(p.prompt), " ", el("span", { "class": "badge" }, cmsg(p.status)));
    count.append(el("strong", { id: "console-voters" }, num(voters)));
    var children = [head, count];
    if (hidden) children.push(el("p", { "class": "hint", id: "console-min" }, cmsg("min").replace("{n}", num(voters))));
    if (consoleError) children.push(el("p", { "class": "field-error", role: "alert" }, consoleError));
    if (p.status !== "revealed") {
      var actions = el("div", { "class": "actions" });
      if (p.status === "open") actions.append(actionForm("close", "poll_close", p.id, cmsg("close"), "secondary"));
      var reveal = actionForm("reveal", "poll_reveal", p.id, cmsg("reveal"));
      if (hidden) reveal.querySelector("button").setAttribute("aria-describedby", "console-min");
      actions.append(reveal);
      children.push(actions);
    }
    box.replaceChildren.apply(box, children);
  }
  // actionForm is a close or reveal form as the server renders it, so it still posts when
  // the connection is down.
  function actionForm(path, action, pollID, label, cls) {
    var form = el("form", { method: "post", action: "/live/" + session + "/console/" + path });
    var token = consoleBox.querySelector("input[name=csrf_token]");
    form.append(el("input", { type: "hidden", name: "csrf_token", value: token ? token.value : "" }),
      el("input", { type: "hidden", name: "poll", value: String(pollID) }),
      el("button", { type: "submit", "class": cls, "data-action": action }, label));
    return form;
  }
  on("console-poll", "submit", function (ev) {
    var b = ev.target.querySelector("button[data-action^=poll_]"), poll = ev.target.querySelector("input[name=poll]");
    if (!b || !poll) return;
    var sent = sendThen({ type: b.dataset.action, poll_id: Number(poll.value) }, null, function (code) {
      if (code !== "connection") { consoleError = errorText(code); renderConsolePoll(); }
    });
    if (sent) { ev.preventDefault(); consoleError = ""; }
  });

  // The sections of the lesson chosen: each lesson's list is in a <template>; without the
  // script the form lists one lesson's at a time, and a second button asks for another's.
  function showSections() {
    var tpl = $("sections-" + $("step-lesson").value), select = $("step-section");
    select.replaceChildren(tpl ? tpl.content.cloneNode(true) : el("option", { value: "" }, "—"));
  }
  if (consoleBox) {
    $("step-pick").hidden = true;
    $("step-section-hint").hidden = true;
  }
  on("step-lesson", "change", showSections);
  on("form-step", "submit", function (ev) {
    var sent = sendThen({ type: "step", lesson: $("step-lesson").value, section: $("step-section").value }, null, function (code) {
      if (code !== "connection") showError("step-error", errorText(code));
    });
    if (sent) { ev.preventDefault(); showError("step-error", ""); }
  });

  // One type of poll at a time: the others' fields are hidden and disabled, so they are
  // neither shown nor sent (a quiz question picked earlier can no longer launch instead
  // of a typed poll).
  function showKind() {
    var kind = $("poll-kind").value;
    Array.prototype.forEach.call($("form-poll").querySelectorAll("fieldset[data-kind]"), function (fs) {
      fs.hidden = fs.disabled = fs.dataset.kind !== kind;
    });
  }
  // pollMessage is the poll_open message for the type chosen; a new type of poll adds a case
  // (and a fieldset in the console, and a kind in app/web/live_console_poll.go).
  function pollMessage(kind) {
    switch (kind) {
      case "quiz":
        var parts = $("poll-quiz").value.split("/");
        return { type: "poll_open", quiz_module: parts[0], quiz_question: parts[1] || "" };
      case "scale":
        return { type: "poll_open", kind: "scale", prompt: $("poll-scale-prompt").value.trim(), low_label: $("poll-scale-low").value.trim(), high_label: $("poll-scale-high").value.trim() };
      case "text":
        return { type: "poll_open", kind: "text", prompt: $("poll-text-prompt").value.trim() };
      default:
        var options = $("poll-options").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
        return { type: "poll_open", prompt: $("poll-prompt").value.trim(), options: options, multiple: $("poll-multiple").checked };
    }
  }
  // clearPoll empties the form once a poll is launched, the choices too: nothing of one
  // poll is launched again with the next.
  function clearPoll() {
    var form = $("form-poll");
    Array.prototype.forEach.call(form.querySelectorAll("input[type=text], input:not([type]), textarea"), function (i) { i.value = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (i) { i.checked = false; });
    $("poll-quiz").value = "";
    var anyway = $("poll-small-room-ok");
    if (anyway) anyway.parentNode.remove();
    showError("poll-error", "");
    smallRoomWarning();
  }
  function smallRoomWarning() {
    var box = $("poll-small-room"), n = Number($("live-count").dataset.n) || 0;
    var show = $("poll-anon").checked && n < Number(consoleBox.dataset.minGroup);
    box.hidden = !show;
    if (show) box.textContent = cmsg("smallRoom").replace("{n}", num(n));
  }
  if (consoleBox) {
    $("poll-kind-field").hidden = false;
    showKind();
  }
  on("poll-kind", "change", function () { showKind(); showError("poll-error", ""); });
  on("poll-anon", "change", smallRoomWarning);
  on("form-poll", "submit", function (ev) {
    var m = pollMessage($("poll-kind").value);
    m.anonymous = $("poll-anon").checked;
    var sent = sendThen(m, function () { clearPoll(); status(cmsg("launched")); }, function (code) {
      if (code !== "connection") showError("poll-error", errorText(code));
    });
    if (sent) { ev.preventDefault(); showError("poll-error", ""); }
  });

  // Ending asks first: in a dialog here, on a page of its own without the script.
  on("form-end", "submit", function (ev) {
    var d = $("end-dialog");
    if (!d || typeof d.showModal !== "function") return;
    ev.preventDefault();
    d.returnValue = "";
    d.showModal();
  });
  on("end-dialog", "close", function () {
    if ($("end-dialog").returnValue !== "end") return;
    if (!send({ type: "end" })) {
      var form = $("form-end");
      form.append(el("input", { type: "hidden", name: "confirm", value: "yes" }));
      form.submit();
    }
  });

  // The live part without JavaScript (a frame that refreshes itself) gives way to this
  // script once it has the state, and comes back when the connection stays lost: the
  // participant can always vote, ask and raise a hand.
  var frame = $("live-frame"), frameSpot = document.createComment("live part");
  var participantParts = ["live-tools", "live-questions-box"];
  function takeOver() {
    clearTimeout(frameTimer);
    frameTimer = 0;
    if (trainer || !frame) return;
    if (frame.isConnected) frame.replaceWith(frameSpot);
    participantParts.forEach(function (id) { $(id).hidden = false; });
    $("live-poll").hidden = !state.poll;
  }
  var frameTimer = 0;
  function frameIfStillLost() {
    if (trainer || !frame || frameTimer) return;
    frameTimer = setTimeout(function () {
      frameTimer = 0;
      if (synced || frame.isConnected || ended) return;
      frame.src = "/live/" + session + "/frame?shown=" + encodeURIComponent(shownLesson);
      frameSpot.replaceWith(frame);
      participantParts.concat(["live-poll"]).forEach(function (id) { $(id).hidden = true; });
      hideJump();
    }, 10000);
  }

  // An ended session takes no connection: the page says so and links to its summary.
  if (root.dataset.ended === "true") { ended = true; status(msg("ended")); return; }
  connect();
})();
