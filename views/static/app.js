// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Prevent an accidental double click from sending a form twice (the server also de-duplicates).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = '1';
    var button = form.querySelector('button[type=submit]');
    if (button) { setTimeout(function () { button.disabled = true; }, 0); }
  });
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
})();
