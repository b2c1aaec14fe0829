// Grades the quiz of an offline course page in the browser (app/offline). Nothing is sent
// anywhere: the page was opened from a file. Without JavaScript the page still works: each
// question shows its answer and feedback behind a <details> control, and the button this
// script reveals stays hidden.
(function () {
  'use strict';
  var quiz = document.getElementById('quiz');
  var button = document.getElementById('quiz-check');
  var result = document.getElementById('quiz-result');
  if (!quiz || !button || !result) { return; }

  // Letters that Arabic-script keyboards type for one another, and the three sets of digits,
  // as the server folds them (app/quiz NormalizeShort).
  var lookAlikes = {
    'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ۀ': 'هٔ', 'ە': 'ه', 'ة': 'ه',
    'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ـ': '', 'ß': 'ss', 'ς': 'σ'
  };
  var lookAlikeRE = new RegExp('[' + Object.keys(lookAlikes).join('') + ']', 'g');
  var keep = /[\p{L}\p{Nd}\p{M}]/u;

  function digitsToASCII(s) {
    return s.replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); });
  }

  function words(s) {
    s = digitsToASCII(s.normalize('NFKC').toLowerCase()).replace(lookAlikeRE, function (c) { return lookAlikes[c]; });
    var out = '';
    for (var ch of s) { if (keep.test(ch)) { out += ch; } }
    return out.normalize('NFC');
  }

  function domain(s) {
    var h = s.trim();
    var i = h.indexOf('://');
    if (i >= 0) { h = h.slice(i + 3); } else if (h.indexOf('//') === 0) { h = h.slice(2); }
    i = h.search(/[\/\\?#]/);
    if (i >= 0) { h = h.slice(0, i); }
    i = h.lastIndexOf('@');
    if (i >= 0) { h = h.slice(i + 1); }
    i = h.lastIndexOf(':');
    if (i >= 0 && /^[0-9]*$/.test(h.slice(i + 1))) { h = h.slice(0, i); }
    if (h.slice(-1) === '.') { h = h.slice(0, -1); }
    if (!h) { return null; }
    try { return new URL('http://' + h + '/').hostname; } catch (e) { return null; }
  }

  function normalize(match, s) {
    if (match === 'exact') { return s.trim().normalize('NFC'); }
    if (match === 'domain') { return domain(s); }
    return words(s);
  }

  // grade returns 'right', 'wrong' or 'missing' for one question.
  function grade(q) {
    var type = q.dataset.type;
    if (type === 'short') {
      var typed = q.querySelector('input').value;
      if (!typed.trim()) { return 'missing'; }
      var got = normalize(q.dataset.match, typed);
      var accept = JSON.parse(q.dataset.accept || '[]');
      return got && accept.indexOf(got) >= 0 ? 'right' : 'wrong';
    }
    if (type === 'ordering') {
      var selects = q.querySelectorAll('select');
      var right = true;
      for (var i = 0; i < selects.length; i++) {
        if (!selects[i].value) { return 'missing'; }
        if (selects[i].value !== selects[i].dataset.rank) { right = false; }
      }
      return right ? 'right' : 'wrong';
    }
    var inputs = q.querySelectorAll('input');
    var any = false, ok = true;
    for (var j = 0; j < inputs.length; j++) {
      var correct = inputs[j].hasAttribute('data-correct');
      if (inputs[j].checked) { any = true; }
      if (inputs[j].checked !== correct && (type === 'multiple' || inputs[j].checked)) { ok = false; }
    }
    if (!any) { return 'missing'; }
    return ok ? 'right' : 'wrong';
  }

  button.hidden = false;
  button.addEventListener('click', function () {
    var questions = quiz.querySelectorAll('fieldset.question');
    var score = 0, firstMissing = null;
    questions.forEach(function (q) {
      var state = grade(q);
      var verdict = q.querySelector('.offline-verdict');
      q.classList.remove('right', 'wrong', 'missing');
      q.classList.add(state);
      verdict.textContent = quiz.dataset[state === 'right' ? 'right' : state === 'wrong' ? 'wrong' : 'missing'];
      verdict.hidden = false;
      if (state === 'right') { score++; }
      if (state === 'missing' && !firstMissing) { firstMissing = q; }
      // The feedback says why: open it once the question is graded.
      q.querySelector('details').open = state !== 'missing';
    });
    if (firstMissing) {
      result.hidden = true;
      var field = firstMissing.querySelector('input, select');
      if (field) { field.focus(); }
      return;
    }
    var line = quiz.querySelector('#quiz-results li[data-score="' + score + '"]');
    result.textContent = line ? line.textContent : '';
    result.classList.toggle('warning', !(line && line.hasAttribute('data-passed')));
    result.hidden = false;
    result.focus();
  });
})();
