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

  async retry(id) {
    const response = await fetch(Videos.path(id, 'retry'), { method: 'POST', headers: { Accept: 'application/json' } });
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
