/**
 * embed.js: upgrades every `form[data-broadside]` on the page in place. Submits with fetch as
 * JSON (CORS, ALLOWED_ORIGINS), sends the page's URL as the source, and shows success or the
 * server's error message next to the field, announced to screen readers. Without it the form
 * still works as a plain POST. Kept small (well under 5 KB) and dependency-free; plain ES2017
 * so every browser a reader may use runs it.
 */
export const embedScript = `(function () {
  'use strict';
  function upgrade(form) {
    if (form.getAttribute('data-broadside-ready')) return;
    form.setAttribute('data-broadside-ready', '1');
    var input = form.querySelector('input[name=email]');
    var button = form.querySelector('button[type=submit]');
    var message = form.querySelector('.broadside-message');
    if (!message) {
      message = document.createElement('p');
      message.className = 'broadside-message';
      message.setAttribute('role', 'status');
      message.setAttribute('aria-live', 'polite');
      form.appendChild(message);
    }
    function show(state, text) {
      message.setAttribute('data-state', state);
      message.textContent = text;
      if (input) input.setAttribute('aria-invalid', state === 'error' ? 'true' : 'false');
    }
    form.addEventListener('submit', function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      if (input && !input.checkValidity()) {
        show('error', 'Please enter a valid email address.');
        input.focus();
        return;
      }
      var data = {};
      new FormData(form).forEach(function (value, key) { data[key] = String(value); });
      if (!data.source) data.source = location.href.split('#')[0];
      if (button) button.disabled = true;
      show('pending', 'Sending…');
      fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(data),
        credentials: 'omit'
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (res.ok) {
            form.reset();
            show('success', 'Almost done: check your inbox for the link to confirm.');
          } else {
            show('error', (body && body.error && body.error.message) || 'That did not work. Please try again.');
            if (input) input.focus();
          }
        });
      }).catch(function () {
        show('error', 'We could not reach the server. Check your connection and try again.');
      }).then(function () {
        if (button) button.disabled = false;
      });
    });
  }
  function init() {
    var forms = document.querySelectorAll('form[data-broadside]');
    for (var i = 0; i < forms.length; i++) upgrade(forms[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
`;
