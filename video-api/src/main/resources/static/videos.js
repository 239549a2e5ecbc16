'use strict';

// The list page: upload with progress, and the videos, kept up to date by the events of
// all videos (GET /v1/videos/events). The stream opens before the list is read, so that no
// change falls between the two.
(() => {
  const list = document.getElementById('videos');
  const empty = document.getElementById('empty');
  const live = document.getElementById('live');
  const problem = document.getElementById('list-problem');
  const rows = new Map();

  function render(video) {
    const known = rows.get(video.id);
    if (known && !Videos.newer(video, known.video)) {
      return;
    }
    const row = known ? known.row : document.createElement('li');
    row.className = 'video';
    row.dataset.id = video.id;
    row.dataset.status = video.status;
    row.replaceChildren(thumbnail(video), details(video));
    if (!known) {
      insert(row, video);
    }
    rows.set(video.id, { video, row });
    empty.hidden = rows.size > 0;
  }

  // Newest first.
  function insert(row, video) {
    const created = Date.parse(video.createdAt);
    const before = [...rows.values()].filter((other) => Date.parse(other.video.createdAt) < created)
      .sort((a, b) => Date.parse(b.video.createdAt) - Date.parse(a.video.createdAt))[0];
    list.insertBefore(row, before ? before.row : null);
  }

  function thumbnail(video) {
    if (video.thumbnail) {
      const image = document.createElement('img');
      image.className = 'thumb';
      image.alt = '';
      image.src = Videos.path(video.id, 'thumbnail') + '?v=' + Date.parse(video.updatedAt);
      return image;
    }
    const placeholder = document.createElement('div');
    placeholder.className = 'thumb none';
    placeholder.setAttribute('aria-hidden', 'true');
    return placeholder;
  }

  function details(video) {
    const box = document.createElement('div');
    box.className = 'info';
    const name = document.createElement('a');
    name.className = 'name';
    name.href = '/video.html?id=' + encodeURIComponent(video.id);
    name.textContent = video.filename || video.id;
    const facts = document.createElement('span');
    facts.className = 'facts';
    facts.textContent = [Videos.size(video.size), Videos.duration(video.duration)].filter(Boolean).join(' · ');
    const status = document.createElement('span');
    status.className = 'status';
    status.textContent = Videos.statusText(video);
    box.append(name, facts, status);
    if (video.status === 'failed') {
      const error = document.createElement('p');
      error.className = 'error';
      error.textContent = video.error || 'It failed.';
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'retry';
      retry.textContent = 'Retry';
      retry.setAttribute('aria-label', 'Retry ' + (video.filename || video.id));
      retry.addEventListener('click', async () => {
        retry.disabled = true;
        try {
          render(await Videos.retry(video.id));
        } catch (e) {
          error.textContent = e.message;
          retry.disabled = false;
        }
      });
      box.append(error, retry);
    }
    return box;
  }

  function remove(id) {
    const known = rows.get(id);
    if (known) {
      known.row.remove();
      rows.delete(id);
    }
    empty.hidden = rows.size > 0;
  }

  // The newest videos (a page of 100), replacing what is shown: rows of videos deleted
  // meanwhile go.
  async function load() {
    try {
      const response = await fetch(Videos.api + '?limit=100', { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        problem.textContent = 'The list cannot be read: ' + await Videos.problem(response);
        return;
      }
      const page = await response.json();
      problem.textContent = '';
      const ids = new Set(page.videos.map((video) => video.id));
      [...rows.keys()].filter((id) => !ids.has(id)).forEach(remove);
      page.videos.forEach(render);
      empty.hidden = rows.size > 0;
    } catch (e) {
      problem.textContent = 'The list cannot be read: the API cannot be reached.';
    }
  }

  // The events of all videos. EventSource reconnects by itself after a network error (with
  // its Last-Event-ID, so nothing is missed); after a refusal (a 503 from a busy or stopping
  // instance) it gives up, and the page opens a new one a few seconds later. The list is read
  // again at each reconnection, for videos deleted meanwhile.
  function follow() {
    let opened = false;
    const events = new EventSource(Videos.api + '/events');
    events.addEventListener('open', () => {
      live.textContent = 'Live';
      live.dataset.state = 'live';
      if (opened || followed) {
        load();
      }
      opened = true;
      followed = true;
    });
    events.addEventListener('error', () => {
      live.textContent = 'Reconnecting…';
      live.dataset.state = 'reconnecting';
      if (events.readyState === EventSource.CLOSED) {
        setTimeout(follow, 5000);
      }
    });
    events.addEventListener('video', (event) => render(JSON.parse(event.data)));
    events.addEventListener('deleted', (event) => remove(JSON.parse(event.data).id));
    events.addEventListener('reload', load);
  }
  let followed = false;

  // Uploading: XMLHttpRequest, for its upload progress, which fetch does not report.
  const input = document.getElementById('file');
  const drop = document.getElementById('drop');
  const transfer = document.getElementById('transfer');
  const progress = document.getElementById('upload-progress');
  const figures = document.getElementById('upload-figures');
  const uploadName = document.getElementById('upload-name');
  const message = document.getElementById('upload-message');
  const cancel = document.getElementById('cancel');
  let current = null;

  function upload(file) {
    if (current) {
      current.abort();
    }
    const request = new XMLHttpRequest();
    current = request;
    const form = new FormData();
    form.append('file', file, file.name);
    const started = performance.now();
    uploadName.textContent = 'Uploading ' + file.name;
    progress.value = 0;
    figures.textContent = '0%';
    message.textContent = '';
    transfer.hidden = false;
    request.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) {
        return;
      }
      const percent = Math.floor((event.loaded / event.total) * 100);
      const seconds = (performance.now() - started) / 1000;
      progress.value = percent;
      figures.textContent = percent + '% · ' + Videos.size(seconds > 0 ? event.loaded / seconds : 0) + '/s';
    });
    request.addEventListener('load', async () => {
      done(request);
      if (request.status === 201) {
        const video = JSON.parse(request.responseText);
        render(video);
        message.textContent = 'Uploaded ' + file.name + '.';
      } else {
        message.textContent = 'Not uploaded: ' + await Videos.problem(new Response(request.responseText,
          { status: request.status, statusText: request.statusText }));
      }
    });
    request.addEventListener('error', () => {
      done(request);
      message.textContent = 'Not uploaded: the connection failed.';
    });
    request.addEventListener('abort', () => {
      done(request);
      message.textContent = 'Upload of ' + file.name + ' cancelled.';
    });
    request.open('POST', Videos.api);
    request.setRequestHeader('Accept', 'application/json');
    request.send(form);
  }

  function done(request) {
    if (current === request) {
      current = null;
      transfer.hidden = true;
      input.value = '';
    }
  }

  input.addEventListener('change', () => {
    if (input.files.length > 0) {
      upload(input.files[0]);
    }
  });
  cancel.addEventListener('click', () => current && current.abort());
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer.files.length > 0) {
      upload(event.dataTransfer.files[0]);
    }
  });

  follow();
  load();
})();
