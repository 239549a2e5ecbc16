'use strict';

// What both pages share: the API's paths, how a video's facts read, and its status.
const Videos = {
  api: '/v1/videos',
  scales: [360, 480, 720, 1080],

  path(id, rest) {
    return '/v1/videos/' + encodeURIComponent(id) + (rest ? '/' + rest : '');
  },

  size(bytes) {
    const units = ['B', 'KB', 'MB', 'GB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
  },

  duration(seconds) {
    if (!seconds) {
      return '';
    }
    const whole = Math.round(seconds);
    const minutes = Math.floor(whole / 60);
    const rest = String(whole % 60).padStart(2, '0');
    return minutes + ':' + rest;
  },

  renditionsDone(video) {
    return Object.keys(video.variants || {}).length;
  },

  // The renditions being encoded as segments (a long video), tallest first: how many of
  // each one's segments are stored out of those planned. A rendition done shows as done.
  segmentProgress(video) {
    if (video.status !== 'encoding') {
      return [];
    }
    const segments = video.segments || {};
    const variants = video.variants || {};
    return Object.keys(segments)
      .filter((scale) => !variants[scale] && segments[scale].planned > 0)
      .sort((a, b) => Number(b) - Number(a))
      .map((scale) => {
        const { planned, done, percent } = segments[scale];
        return { scale, planned, done, text: scale + 'p: ' + percent + ' % (' + done + ' of ' + planned + ' segments)' };
      });
  },

  // That progress as a list, one bar and its figures per rendition; null when there is none.
  segmentList(video) {
    const progress = Videos.segmentProgress(video);
    if (progress.length === 0) {
      return null;
    }
    const list = document.createElement('ul');
    list.className = 'segments';
    list.setAttribute('aria-label', 'Segments encoded');
    list.append(...progress.map((rendition) => {
      const item = document.createElement('li');
      item.dataset.scale = rendition.scale;
      const bar = document.createElement('progress');
      bar.max = rendition.planned;
      bar.value = rendition.done;
      bar.setAttribute('aria-label', rendition.scale + 'p');
      const figures = document.createElement('span');
      figures.textContent = rendition.text;
      item.append(bar, figures);
      return item;
    }));
    return list;
  },

  statusText(video) {
    if (video.status === 'encoding') {
      return 'encoding (' + Videos.renditionsDone(video) + ' of ' + Videos.scales.length + ' renditions done)';
    }
    return video.status;
  },

  // A problem+json answer as one sentence.
  async problem(response) {
    try {
      const problem = await response.json();
      return (problem.title || response.statusText) + (problem.detail ? ': ' + problem.detail : '');
    } catch (e) {
      return 'The server answered ' + response.status + '.';
    }
  },

  // The access token for writes, kept in this tab's sessionStorage (gone when the tab closes).
  tokenKey: 'videos.token',

  token() {
    try {
      return sessionStorage.getItem(Videos.tokenKey) || '';
    } catch (e) {
      return '';
    }
  },

  // The headers that carry the token, when there is one: every write sends them.
  authorization() {
    const token = Videos.token();
    return token ? { Authorization: 'Bearer ' + token } : {};
  },

  // A write (POST, DELETE) with the token. A 401 or a 403 opens the token control.
  async write(url, method) {
    const response = await fetch(url, { method, headers: { Accept: 'application/json', ...Videos.authorization() } });
    if (response.status === 401 || response.status === 403) {
      Videos.askForToken(response.status);
    }
    return response;
  },

  // Opens the token control and says why: no token, a token refused, or one without the scope.
  askForToken(status) {
    const box = document.getElementById('token-box');
    if (!box) {
      return;
    }
    const state = document.getElementById('token-state');
    if (status === 403) {
      state.textContent = 'The saved token does not have the scope videos:write. Paste one that has it.';
    } else if (Videos.token()) {
      state.textContent = 'The saved token was refused (expired, or not from the issuer the server trusts). Paste a new one.';
    } else {
      state.textContent = 'Writing needs an access token with the scope videos:write. Paste one here.';
    }
    box.open = true;
    document.getElementById('token-input').focus();
  },

  async retry(id) {
    const response = await Videos.write(Videos.path(id, 'retry'), 'POST');
    if (!response.ok) {
      throw new Error(await Videos.problem(response));
    }
    return response.json();
  },

  // Whether `next` is at least as new as `current` (events may arrive out of order).
  newer(next, current) {
    return !current || Date.parse(next.updatedAt) >= Date.parse(current.updatedAt);
  },
};

// The token control (a <details> on each page): Save keeps the token for this tab, Forget
// drops it. The token itself is never shown again.
(() => {
  const box = document.getElementById('token-box');
  if (!box) {
    return;
  }
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  const forget = document.getElementById('token-forget');
  const state = document.getElementById('token-state');
  const summary = document.getElementById('token-summary');

  function show() {
    const saved = Videos.token() !== '';
    summary.textContent = saved ? 'saved' : 'none';
    forget.disabled = !saved;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!token) {
      state.textContent = 'Paste a token first.';
      return;
    }
    try {
      sessionStorage.setItem(Videos.tokenKey, token);
      state.textContent = 'Saved for this tab. Uploads, retries and deletions send it.';
    } catch (e) {
      state.textContent = 'This browser does not let the page keep it.';
    }
    input.value = '';
    show();
  });
  forget.addEventListener('click', () => {
    try {
      sessionStorage.removeItem(Videos.tokenKey);
    } catch (e) {
      // Nothing was kept.
    }
    state.textContent = 'Forgotten.';
    show();
  });
  show();
})();
