'use strict';

// One video: its player, a choice of quality, its details, Retry and Delete, kept up to
// date by its events (GET /v1/videos/{id}/events, which start with its state).
//
// A video ffmpeg streamed (its "hls" is set) plays its master playlist: with hls.js over
// Media Source Extensions wherever they exist, since its levels make the quality menu (Auto,
// then each level, tallest first), which a browser's own HLS player does not offer; else
// natively where the browser plays HLS itself (an iPhone without Media Source Extensions). Other videos (the
// mock's, or before their first rendition) play files: the original, then each rendition.
(() => {
  const id = new URLSearchParams(location.search).get('id') || '';
  const view = document.getElementById('view');
  const title = document.getElementById('title');
  const message = document.getElementById('message');
  const player = document.getElementById('player');
  const choice = document.getElementById('rendition');
  const status = document.getElementById('status');
  const segments = document.getElementById('segments');
  const error = document.getElementById('error');
  const retry = document.getElementById('retry');
  const remove = document.getElementById('delete');
  const details = document.getElementById('details');
  const withHlsJs = Boolean(window.Hls && Hls.isSupported());
  const nativeHls = !withHlsJs && player.canPlayType('application/vnd.apple.mpegurl') !== '';
  let shown = null;
  // hls.js while it plays the master playlist, and the levels that playlist had.
  let hls = null;
  let streamedLevels = '';

  // The original, then each rendition ffmpeg made a file of its own for.
  function sources(video) {
    const list = [{ label: 'Original', src: Videos.path(video.id, 'content') }];
    if (video.hls && nativeHls) {
      list.unshift({ label: 'Auto', src: master(video) });
    }
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
    const progress = Videos.segmentList(video);
    segments.replaceChildren(...(progress ? progress.children : []));
    segments.hidden = !progress;
    error.hidden = video.status !== 'failed';
    error.textContent = video.error || '';
    retry.hidden = video.status !== 'failed';
    if (video.hls && withHlsJs) {
      stream(video);
    } else {
      files(video, first);
    }
    facts(video);
  }

  // The master playlist, on this page's origin (the "hls" url names the API's public one).
  function master(video) {
    return Videos.path(video.id, 'hls/master.m3u8');
  }

  function files(video, first) {
    const options = sources(video);
    const selected = choice.value;
    choice.replaceChildren(...options.map((source) => new Option(source.label, source.src)));
    choice.value = options.some((source) => source.src === selected) ? selected : options[0].src;
    if (first || player.getAttribute('src') !== choice.value) {
      player.src = choice.value;
    }
  }

  // Plays the master playlist with hls.js, again when a rendition done since adds a level
  // (where it was, playing or not, at the quality chosen if it is still offered).
  function stream(video) {
    const levels = Object.keys(video.renditions || {}).filter((scale) => (video.variants || {})[scale]).join();
    if (hls && levels === streamedLevels) {
      return;
    }
    streamedLevels = levels;
    const at = player.currentTime;
    const playing = !player.paused;
    const wanted = choice.value;
    if (hls) {
      hls.destroy();
    }
    // No worker: the page's Content-Security-Policy allows scripts from its origin only.
    hls = new Hls({ enableWorker: false });
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      const heights = [...new Set(hls.levels.map((level) => level.height))].sort((a, b) => b - a);
      choice.replaceChildren(new Option('Auto', 'auto'),
        ...heights.map((height) => new Option(height + 'p', 'height-' + height)));
      choice.value = [...choice.options].some((option) => option.value === wanted) ? wanted : 'auto';
      chooseLevel();
      if (at > 0) {
        player.currentTime = at;
      }
      if (playing) {
        player.play().catch(() => {});
      }
    });
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal) {
        message.textContent = 'The stream cannot be played: ' + data.details + '.';
      }
    });
    hls.loadSource(master(video));
    hls.attachMedia(player);
  }

  // The quality chosen: Auto lets hls.js pick by bandwidth; a height holds that level.
  function chooseLevel() {
    if (choice.value === 'auto') {
      hls.currentLevel = -1;
      return;
    }
    const height = Number(choice.value.slice('height-'.length));
    hls.currentLevel = hls.levels.findIndex((level) => level.height === height);
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
    if (hls) {
      chooseLevel();
      return;
    }
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
      if (hls) {
        hls.destroy();
        hls = null;
      }
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
