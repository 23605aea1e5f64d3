/* The state of a draft for comment (意见征集) between two builds.
 *
 * Enhancement only: a page says the state on the day it was built and prints the
 * comment period, so without this file nothing is wrong, only possibly dated. Each
 * label (templates/_draft_status.html) carries its period in data-start and
 * data-deadline (YYYY-MM-DD, Beijing dates) and the three labels it can show in
 * data-labels; when the reader's day in China (UTC+8) has passed a date, the label
 * moves forward: 未开始 → 征集中 → 已截止. It never moves back (a wrong clock must
 * not reopen a closed consultation) and never leaves 已反馈, which only a build
 * knows. No inline code, no request: it runs under `default-src 'self'`.
 */
(function () {
  'use strict';

  const STATES = ['upcoming', 'open', 'closed'];
  const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

  function chinaToday() {
    return new Date(Date.now() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  }

  function update(label, today) {
    const labels = (label.getAttribute('data-labels') || '').split('|');
    const built = STATES.findIndex(function (s) { return label.classList.contains('status-' + s); });
    if (built < 0 || labels.length !== STATES.length) return;  // 已反馈, or not a label this script knows
    const start = label.getAttribute('data-start');
    const deadline = label.getAttribute('data-deadline');
    const now = today < start ? 0 : today <= deadline ? 1 : 2;
    if (now <= built) return;
    label.classList.remove('status-' + STATES[built]);
    label.classList.add('status-' + STATES[now]);
    label.textContent = labels[now];
  }

  function run() {
    const today = chinaToday();
    document.querySelectorAll('.draft-status[data-deadline]').forEach(function (label) { update(label, today); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else {
    run();
  }
}());
