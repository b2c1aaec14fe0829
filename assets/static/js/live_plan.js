// Cairn: the session plan on the trainer's live console (partials/live_plan.html). Without
// this script the card works as it is: "Next step" is a form that reloads the console. With
// it, the form is sent without leaving the page (the console keeps its connection), the card
// is replaced by the one the server answers with, and the time on the current step counts up.
(function () {
  "use strict";
  var loaded = Date.now();

  // count shows the seconds an element's data-used said at load, plus those since, in its
  // data-fmt; it returns them.
  // num writes a number in the page's digits (<html data-digits>, app/locale/numbers.go).
  var digits = document.documentElement.dataset.digits || "";
  function num(n) {
    var s = String(n);
    return digits ? s.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : s;
  }

  function count(e) {
    var used = Number(e.dataset.used) + Math.floor((Date.now() - Number(e.dataset.since || loaded)) / 1000);
    e.textContent = e.dataset.fmt.replace("{used}", num(Math.floor(used / 60) + ":" + ("0" + (used % 60)).slice(-2)));
    return used;
  }

  function tick() {
    var card = document.getElementById("live-plan");
    var timer = card && card.querySelector(".plan-timer"), clock = card && card.querySelector(".plan-clock");
    if (clock) count(clock);
    if (timer) timer.classList.toggle("over", count(timer) > Number(timer.dataset.planned) * 60);
  }

  function wire(card) {
    var form = card.querySelector("form.plan-next");
    if (!form) return;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      if (ev.submitter && ev.submitter.name) body.append(ev.submitter.name, ev.submitter.value);
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("live-plan");
          if (!fresh) return Promise.reject("no plan card");
          var flash = doc.querySelector("main > .notice[role=status]");
          var current = document.getElementById("live-plan");
          current.replaceWith(fresh);
          // Say what happened: the server's message, or, when another request of this page
          // (the console fetching a lesson) took it first, where the plan now stands.
          var status = fresh.querySelector(".live-plan-status");
          var now = fresh.querySelector(".plan-now .plan-step-meta");
          if (status) status.textContent = flash ? flash.textContent : now ? now.textContent : "";
          Array.prototype.forEach.call(fresh.querySelectorAll("[data-used]"), function (e) { e.dataset.since = String(Date.now()); });
          wire(fresh);
        })
        // Anything unexpected: send the form the plain way. It names the step it was shown
        // at, so a step the first attempt did perform is not performed twice.
        .catch(function () {
          if (ev.submitter && ev.submitter.name) {
            var keep = document.createElement("input");
            keep.type = "hidden"; keep.name = ev.submitter.name; keep.value = ev.submitter.value;
            form.append(keep);
          }
          form.submit();
        });
    });
  }

  var card = document.getElementById("live-plan");
  if (!card) return;
  wire(card);
  setInterval(tick, 1000);
})();
