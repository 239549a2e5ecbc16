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
    const segments = Videos.segmentList(video);
    if (segments) {
      box.append(segments);
    }
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

  // Uploading, with tus (the vendored tus-js-client): the file goes in chunks of
  // data-chunk-size bytes (8 MiB), each a PATCH the client retries by itself after a dropped
  // connection, from the offset the server has. The upload's address is kept in localStorage
  // under the file's fingerprint (name, type, size, last change), so that choosing the same
  // file again, after a reload or a failure, goes on where the server stopped.
  const section = document.getElementById('upload');
  const input = document.getElementById('file');
  const drop = document.getElementById('drop');
  const transfer = document.getElementById('transfer');
  const progress = document.getElementById('upload-progress');
  const figures = document.getElementById('upload-figures');
  const uploadName = document.getElementById('upload-name');
  const message = document.getElementById('upload-message');
  const cancel = document.getElementById('cancel');
  const endpoint = new URL('/v1/uploads', location.href).href;
  const chunkSize = Number(section.dataset.chunkSize) || 8 * 1024 * 1024;
  const storage = tus.defaultOptions.urlStorage;
  let current = null;

  async function upload(file) {
    // One upload at a time: one going on stops (and stays on the server, to go on later).
    const before = current;
    const state = {
      file, videoId: null, from: 0, started: performance.now(), refused: false, retrying: false, upload: null,
    };
    current = state;
    if (before && before.upload) {
      await before.upload.abort(false);
    }
    if (current !== state) {
      return;
    }
    const metadata = { filename: file.name };
    if (file.type) {
      metadata.filetype = file.type;
    }
    state.upload = new tus.Upload(file, {
      endpoint,
      chunkSize,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      headers: Videos.authorization(),
      urlStorage: {
        findAllUploads: () => storage.findAllUploads(),
        findUploadsByFingerprint: (fingerprint) => storage.findUploadsByFingerprint(fingerprint),
        addUpload: (fingerprint, upload) => storage.addUpload(fingerprint, upload),
        // tus-js-client forgets an upload whose HEAD answers any 4xx; a 401 or 403 (no
        // token, or the wrong one) says nothing about the upload, which stays resumable.
        removeUpload: (key) => (state.refused ? Promise.resolve() : storage.removeUpload(key)),
      },
      // A dropped connection, a 409 or a 503 is tried again (a HEAD for the server's offset,
      // then the rest): the page says so meanwhile. So are a 408 (the server cut off a body
      // that came too slowly, and kept what arrived) and a 429 (too many new uploads at once),
      // which tus-js-client would give up on.
      onShouldRetry(error, attempt, options) {
        const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        const again = status === 408 || status === 429 || tus.defaultOptions.onShouldRetry(error, attempt, options);
        if (again && current === state) {
          state.retrying = true;
          message.textContent = 'The upload stopped (' + (error.originalResponse
            ? 'the server answered ' + error.originalResponse.getStatus() : 'the connection dropped')
            + '); trying again…';
        }
        return again;
      },
      onAfterResponse(request, response) {
        state.refused = response.getStatus() === 401 || response.getStatus() === 403;
        if (state.retrying && request.getMethod() === 'PATCH' && response.getStatus() === 204 && current === state) {
          state.retrying = false;
          message.textContent = '';
        }
        state.videoId = response.getHeader('Video-Id') || state.videoId;
        if (request.getMethod() === 'POST' && response.getStatus() === 201 && current === state) {
          uploadName.textContent = 'Uploading ' + file.name;
        }
        if (request.getMethod() === 'HEAD' && response.getStatus() === 200) {
          resumed(state, Number(response.getHeader('Upload-Offset')), Number(response.getHeader('Upload-Length')));
        }
      },
      onProgress(sent, total) {
        if (current !== state) {
          return;
        }
        const percent = Math.floor((sent / total) * 100);
        const seconds = (performance.now() - state.started) / 1000;
        const speed = seconds > 0 ? Math.max(0, sent - state.from) / seconds : 0;
        progress.value = percent;
        figures.textContent = percent + '% · ' + Videos.size(speed) + '/s';
      },
      onSuccess() {
        if (finish(state)) {
          uploaded(state);
        }
      },
      onError(error) {
        if (finish(state)) {
          failed(state, error);
        }
      },
    });
    uploadName.textContent = 'Uploading ' + file.name;
    progress.value = 0;
    figures.textContent = '0%';
    message.textContent = '';
    transfer.hidden = false;
    // An earlier upload of the same file that did not finish: the newest goes on.
    const previous = await state.upload.findPreviousUploads();
    if (current !== state) {
      return;
    }
    if (previous.length > 0) {
      previous.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
      state.upload.resumeFromPreviousUpload(previous[0]);
      uploadName.textContent = 'Resuming ' + file.name;
    }
    state.upload.start();
  }

  // The server's offset of an upload that goes on (its HEAD answer).
  function resumed(state, offset, length) {
    if (current !== state || !(offset > 0) || !(length > 0)) {
      return;
    }
    const percent = Math.floor((offset / length) * 100);
    state.from = offset;
    state.started = performance.now();
    progress.value = percent;
    figures.textContent = percent + '%';
    uploadName.textContent = 'Resuming ' + state.file.name + ' at ' + percent + '%';
    message.textContent = 'Resuming at ' + percent + '%: the server already has ' + Videos.size(offset)
      + ' of ' + Videos.size(length) + '.';
  }

  async function uploaded(state) {
    message.replaceChildren('Uploaded ' + state.file.name + '.');
    if (!state.videoId) {
      return;
    }
    const link = document.createElement('a');
    link.href = '/video.html?id=' + encodeURIComponent(state.videoId);
    link.textContent = 'Open its page';
    message.append(' ', link);
    try {
      const response = await fetch(Videos.path(state.videoId), { headers: { Accept: 'application/json' } });
      if (response.ok) {
        render(await response.json());
      }
    } catch (e) {
      // The list's events show it anyway.
    }
  }

  // tus-js-client's error carries the answer that ended the upload, if there was one: its
  // problem is shown, and a 401 or 403 opens the token control.
  function failed(state, error) {
    const response = error.originalResponse;
    if (!response) {
      message.textContent = 'Not uploaded: the connection failed. Choose ' + state.file.name
        + ' again to go on where it stopped.';
      return;
    }
    const status = response.getStatus();
    message.textContent = 'Not uploaded: ' + problemOf(status, response.getBody());
    if (status === 401 || status === 403) {
      Videos.askForToken(status);
    }
  }

  function problemOf(status, body) {
    try {
      const problem = JSON.parse(body);
      if (problem.title || problem.detail) {
        return (problem.title || 'Error ' + status) + (problem.detail ? ': ' + problem.detail : '');
      }
    } catch (e) {
      // Not a problem+json answer.
    }
    return 'the server answered ' + status + '.';
  }

  // Whether `state` was the upload shown: it no longer is.
  function finish(state) {
    if (current !== state) {
      return false;
    }
    current = null;
    transfer.hidden = true;
    input.value = '';
    return true;
  }

  // Cancel stops the upload and deletes what the server has of it.
  async function stop() {
    const state = current;
    if (!state) {
      return;
    }
    finish(state);
    message.textContent = 'Cancelling the upload of ' + state.file.name + '…';
    if (!state.upload) {
      message.textContent = 'Upload of ' + state.file.name + ' cancelled.';
      return;
    }
    try {
      await state.upload.abort(true);
      message.textContent = 'Upload of ' + state.file.name + ' cancelled.';
    } catch (error) {
      const response = error.originalResponse;
      message.textContent = 'Upload of ' + state.file.name + ' stopped, but the server still has it: '
        + (response ? problemOf(response.getStatus(), response.getBody()) : 'the connection failed.');
    }
  }

  input.addEventListener('change', () => {
    if (input.files.length > 0) {
      upload(input.files[0]);
    }
  });
  cancel.addEventListener('click', stop);
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
