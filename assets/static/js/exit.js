// Quick exit, enhanced. Without this script the link still works (the server ends the
// sign-in, clears the site's data and redirects). With it, the current page is replaced in the
// history instead of staying behind the neutral site, the page is blanked at once, and
// pressing Escape three times within two seconds leaves too, from anywhere on the page.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  if (link.dataset.hint) {
    link.title = link.dataset.hint;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.hidden = true;
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    }
  });
})();
