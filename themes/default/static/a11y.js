/* Reading aids (无障碍 / 长者模式) and 打印本文 for the default theme.
 *
 * Enhancement only: every page works without this file. It has no dependencies,
 * loads nothing, talks to no server, and needs no inline code, so the site runs
 * under `Content-Security-Policy: default-src 'self'`.
 *
 * Loaded in <head> without `defer`: the reader's saved settings become classes on
 * <html> before the first paint (no flash of the small font). The toolbar in
 * templates/_a11y_toolbar.html is rendered `hidden` and revealed here.
 *
 *   html.a11y-size-s|l|xl   font size 小 / 大 / 特大 (中 is no class)
 *   html.a11y-contrast      high contrast (white and yellow on black)
 *   html.a11y-spacing       wider line and paragraph spacing
 *   html.a11y-cursor        large mouse cursor (static/cursor-*.svg)
 *
 * Settings are kept in localStorage under "zwgk-a11y" and follow the reader to
 * every page (and to other open tabs).
 */
(function () {
  'use strict';

  const KEY = 'zwgk-a11y';
  const SIZES = ['s', 'm', 'l', 'xl'];
  const TOGGLES = ['contrast', 'spacing', 'cursor'];
  const DEFAULTS = { size: 'm', contrast: false, spacing: false, cursor: false, open: false };
  const root = document.documentElement;

  function load() {
    let saved = {};
    try {
      saved = JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (e) {
      saved = {};  // storage disabled or a damaged value: start from the defaults
    }
    const s = Object.assign({}, DEFAULTS);
    if (SIZES.indexOf(saved.size) >= 0) s.size = saved.size;
    TOGGLES.concat(['open']).forEach(function (k) { s[k] = saved[k] === true; });
    return s;
  }

  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (e) {
      // Storage may be full or disabled (private mode): the settings still hold on this page.
    }
  }

  function apply() {
    SIZES.forEach(function (z) { root.classList.toggle('a11y-size-' + z, z !== 'm' && settings.size === z); });
    TOGGLES.forEach(function (t) { root.classList.toggle('a11y-' + t, settings[t]); });
  }

  let settings = load();
  apply();

  function init() {
    // Controls that need JavaScript (打印本文) are rendered hidden with data-js-only.
    document.querySelectorAll('[data-js-only]').forEach(function (el) { el.hidden = false; });
    document.querySelectorAll('[data-action="print"]').forEach(function (button) {
      button.addEventListener('click', function () { window.print(); });
    });

    const bar = document.getElementById('a11y');
    if (!bar) return;
    const panel = document.getElementById('a11y-panel');
    const toggle = bar.querySelector('.a11y-toggle');
    const status = document.getElementById('a11y-status');
    const text = bar.dataset;
    const sizeLabel = document.getElementById('a11y-size-label');
    let announceTimer = 0;

    function announce(message) {
      // Empty first, then fill: a screen reader announces the message even when it repeats.
      status.textContent = '';
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () { status.textContent = message; }, 60);
    }

    function sync() {
      panel.hidden = !settings.open;
      toggle.setAttribute('aria-expanded', String(settings.open));
      bar.querySelectorAll('[data-size]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b.dataset.size === settings.size));
      });
      bar.querySelectorAll('[data-toggle]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(settings[b.dataset.toggle]));
      });
    }

    toggle.addEventListener('click', function () {
      settings.open = !settings.open;
      save();
      sync();
    });

    bar.querySelectorAll('[data-size]').forEach(function (b) {
      b.addEventListener('click', function () {
        settings.size = b.dataset.size;
        save();
        apply();
        sync();
        announce(sizeLabel.textContent + '：' + b.textContent);
      });
    });

    bar.querySelectorAll('[data-toggle]').forEach(function (b) {
      b.addEventListener('click', function () {
        const name = b.dataset.toggle;
        settings[name] = !settings[name];
        save();
        apply();
        sync();
        announce(b.textContent + '：' + (settings[name] ? text.on : text.off));
      });
    });

    const speech = setUpSpeech(bar.querySelector('[data-action="speak"]'), announce, text);

    bar.querySelector('[data-action="reset"]').addEventListener('click', function () {
      speech.stop(false);
      settings = Object.assign({}, DEFAULTS, { open: true });
      save();
      apply();
      sync();
      announce(text.reset);
    });

    // Settings changed in another tab, or on another page before "back" restored this one.
    window.addEventListener('storage', function (e) {
      if (e.key === KEY || e.key === null) { settings = load(); apply(); sync(); }
    });
    window.addEventListener('pageshow', function (e) {
      if (e.persisted) { settings = load(); apply(); sync(); }
    });

    sync();
    bar.hidden = false;
  }

  /* Read-aloud through the Web Speech API (speechSynthesis) in a Mandarin (zh-CN) voice.
   * Reads the selected text if there is any inside <main>, else the whole of <main>, in
   * sentence-sized pieces (long utterances stop early in some browsers). The button stays
   * hidden where the API does not exist. */
  function setUpSpeech(button, announce, text) {
    const synth = window.speechSynthesis;
    const supported = button && synth && typeof window.SpeechSynthesisUtterance === 'function';
    let speaking = false;

    function stop(say) {
      if (!supported) return;
      const was = speaking;
      speaking = false;
      button.setAttribute('aria-pressed', 'false');
      synth.cancel();
      if (say && was) announce(text.stopped);
    }

    if (!supported) return { stop: stop };

    function readable() {
      const main = document.getElementById('main') || document.body;
      const selection = window.getSelection ? window.getSelection() : null;
      if (selection && !selection.isCollapsed && main.contains(selection.anchorNode)) {
        return selection.toString();
      }
      return main.innerText || main.textContent || '';
    }

    function pieces(all) {
      const sentences = all.replace(/[ \t\u00a0]+/g, ' ').match(/[^。！？；!?;\n]+[。！？；!?;\n]*/g) || [];
      const out = [];
      let current = '';
      sentences.forEach(function (s) {
        s = s.trim();
        while (s.length > 160) { out.push(s.slice(0, 160)); s = s.slice(160); }
        if (current && current.length + s.length > 160) { out.push(current); current = ''; }
        current += s;
      });
      if (current.trim()) out.push(current);
      return out.filter(function (p) { return /[\p{L}\p{N}]/u.test(p); });
    }

    function voice() {
      const voices = synth.getVoices ? synth.getVoices() : [];
      const norm = function (v) { return String(v.lang || '').replace('_', '-').toLowerCase(); };
      return voices.find(function (v) { return norm(v) === 'zh-cn'; }) ||
        voices.find(function (v) { return norm(v).indexOf('zh') === 0 && norm(v).indexOf('hk') < 0; }) || null;
    }

    button.hidden = false;
    button.addEventListener('click', function () {
      if (speaking) { stop(true); return; }
      const parts = pieces(readable());
      if (!parts.length) { announce(text.nothing); return; }
      synth.cancel();
      speaking = true;
      button.setAttribute('aria-pressed', 'true');
      announce(text.speaking);
      const v = voice();
      parts.forEach(function (part, i) {
        const u = new window.SpeechSynthesisUtterance(part);
        u.lang = 'zh-CN';
        if (v) u.voice = v;
        u.rate = 0.9;
        u.onerror = function (e) {
          if (e.error !== 'interrupted' && e.error !== 'canceled') stop(true);
        };
        if (i === parts.length - 1) {
          u.onend = function () {
            if (!speaking) return;
            stop(false);
            announce(text.finished);
          };
        }
        synth.speak(u);
      });
    });
    window.addEventListener('pagehide', function () { stop(false); });
    return { stop: stop };
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
