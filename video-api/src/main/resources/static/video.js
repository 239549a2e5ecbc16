'use strict';

// One video: its player, a choice of rendition, its details, Retry and Delete, kept up to
// date by its events (GET /v1/videos/{id}/events, which start with its state).
(() => {
  const id = new URLSearchParams(location.search).get('id') || '';
  const view = document.getElementById('view');
  const title = document.getElementById('title');
  const message = document.getElementById('message');
  const player = document.getElementById('player');
  const choice = document.getElementById('rendition');
  const status = document.getElementById('status');
  const error = document.getElementById('error');
  const retry = document.getElementById('retry');
  const remove = document.getElementById('delete');
  const details = document.getElementById('details');
  let shown = null;

  // The original, then each rendition ffmpeg made a file of its own for.
  function sources(video) {
    const list = [{ label: 'Original', src: Videos.path(video.id, 'content') }];
    const renditions = video.renditions || {};
    Videos.scales.filter((scale) => renditions[scale] && renditions[scale].encoded).forEach((scale) => {
      const rendition = renditions[scale];
      const size = rendition.width ? ' (' + rendition.width + '×' + rendition.height + ')' : '';
      list.push({ label: scale + 'p' + size, src: Videos.path(video.id, 'variants/' + scale) });
    });
    return list;
  }

  function show(video) {
    if (!Videos.newer(video, shown)) {
      return;
    }
    const first = shown === null;
    shown = video;
    view.hidden = false;
    document.title = (video.filename || video.id) + ' · Videos';
    title.textContent = video.filename || video.id;
    status.textContent = Videos.statusText(video);
    status.dataset.status = video.status;
    error.hidden = video.status !== 'failed';
    error.textContent = video.error || '';
    retry.hidden = video.status !== 'failed';
    const options = sources(video);
    const selected = choice.value;
    choice.replaceChildren(...options.map((source) => new Option(source.label, source.src)));
    choice.value = options.some((source) => source.src === selected) ? selected : options[0].src;
    if (first || player.getAttribute('src') !== choice.value) {
      player.src = choice.value;
    }
    facts(video);
  }

  function facts(video) {
    const rows = [
      ['Id', video.id],
      ['Size', Videos.size(video.size)],
      ['Duration', Videos.duration(video.duration)],
      ['Dimensions', video.width ? video.width + '×' + video.height : ''],
      ['Uploaded', new Date(video.createdAt).toLocaleString()],
      ['Renditions done', Videos.renditionsDone(video) + ' of ' + Videos.scales.length],
    ];
    details.replaceChildren(...rows.filter((row) => row[1]).flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }));
  }

  choice.addEventListener('change', () => {
    const at = player.currentTime;
    player.src = choice.value;
    player.currentTime = at;
  });

  retry.addEventListener('click', async () => {
    retry.disabled = true;
    try {
      show(await Videos.retry(id));
      message.textContent = 'Sent through the pipeline again.';
    } catch (e) {
      message.textContent = e.message;
    } finally {
      retry.disabled = false;
    }
  });

  remove.addEventListener('click', async () => {
    const name = shown ? shown.filename || shown.id : id;
    if (!window.confirm('Delete ' + name + '? This cannot be undone.')) {
      return;
    }
    const response = await Videos.write(Videos.path(id), 'DELETE');
    if (response.ok) {
      location.assign('/');
    } else {
      message.textContent = await Videos.problem(response);
    }
  });

  // Its events, which start with its state. After a refusal (a 503 from a busy or stopping
  // instance) EventSource gives up: a new one is opened a few seconds later.
  function follow() {
    const events = new EventSource(Videos.path(id, 'events'));
    events.addEventListener('open', () => {
      message.textContent = '';
    });
    events.addEventListener('video', (event) => show(JSON.parse(event.data)));
    events.addEventListener('deleted', () => {
      events.close();
      view.hidden = true;
      message.textContent = 'This video was deleted.';
    });
    events.addEventListener('error', () => {
      if (events.readyState === EventSource.CLOSED) {
        message.textContent = 'Live updates are paused; trying again.';
        setTimeout(follow, 5000);
      }
    });
  }

  // The video as it is now, then its changes as they come.
  async function start() {
    if (!id) {
      message.textContent = 'No video chosen: pick one in the list.';
      return;
    }
    try {
      const response = await fetch(Videos.path(id), { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        message.textContent = await Videos.problem(response);
        return;
      }
      show(await response.json());
    } catch (e) {
      message.textContent = 'The API cannot be reached.';
      return;
    }
    follow();
  }

  start();
})();
