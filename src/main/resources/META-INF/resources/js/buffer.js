// "My buffer": status and capturable footage (from SSE events, counted forward locally between them, never polled),
// the capture buttons (one also saves the next 10 s), and a preview player whose range can be captured exactly, with
// the buffer's markers on its timeline.

import { api, session } from './api.js';

const $ = (id) => document.getElementById(id);

export function bufferPanel({ onClip, say }) {
  let buffer = null;
  let fetchedAt = 0;
  let hls = null;
  let blockedUntil = 0;
  let firstFootage = null;
  let markers = [];

  async function refresh() {
    try {
      setBuffer(await api('/api/v1/replay-buffers/current'));
    } catch (e) {
      if (e.status === 404) {
        setBuffer(null);
      } else {
        say(e.message, 'error');
      }
    }
  }

  function setBuffer(next) {
    buffer = next;
    fetchedAt = Date.now();
    const status = $('buffer-status');
    if (!buffer) {
      status.textContent = 'Your buffer is not running. Start it from your game (or below).';
      status.className = 'status stopped';
      $('start-panel').open = true;
    } else {
      const words = { STARTING: 'Starting…', ACTIVE: 'Recording', STOPPING: 'Stopping…', STOPPED: 'Stopped', FAILED: 'Failed' };
      status.textContent = `${words[buffer.status] || buffer.status}${buffer.error ? `: ${buffer.error}` : ''}`
        + ` · keeps the last ${formatSeconds(buffer.bufferSeconds)}`;
      status.className = `status ${buffer.status === 'ACTIVE' ? 'active' : 'stopped'}`;
      $('start-panel').open = false;
    }
    // Events say when a buffer starts and stops, not when each segment lands: while a new buffer has no footage
    // yet, look again shortly (once footage exists it is counted forward locally).
    clearTimeout(firstFootage);
    if (buffer && (buffer.status === 'ACTIVE' || buffer.status === 'STARTING') && !buffer.availableSeconds) {
      firstFootage = setTimeout(refresh, 3000);
    }
    tick();
    if ($('range-panel').open) {
      loadPreview();
    }
  }

  /** Footage grows by one second a second while recording, up to the buffer length. */
  function available() {
    if (!buffer) {
      return 0;
    }
    const grown = buffer.status === 'ACTIVE' ? (Date.now() - fetchedAt) / 1000 : 0;
    return Math.min(buffer.bufferSeconds, (buffer.availableSeconds || 0) + (buffer.availableSeconds > 0 ? grown : 0));
  }

  function tick() {
    const seconds = available();
    $('buffer-available').textContent = buffer ? formatSeconds(seconds) : '–';
    const capturable = buffer && (buffer.status === 'ACTIVE' || buffer.status === 'STOPPED') && seconds > 0;
    const waiting = Math.ceil((blockedUntil - Date.now()) / 1000);
    document.querySelectorAll('.capture-buttons button, #capture-range').forEach((b) => {
      b.disabled = !capturable || waiting > 0;
    });
    if (waiting > 0) {
      say(`You are capturing too fast. Try again in ${waiting} s.`, 'error');
    } else if (waiting === 0) {
      say('', '');
      blockedUntil = 0;
    }
  }

  async function capture(body, label) {
    say(`Saving ${label}…`, '');
    try {
      const clip = await api(`/api/v1/replay-buffers/${buffer.id}/captures`, { method: 'POST', body });
      say(clip.truncated ? `Saved ${formatSeconds(clip.durationSeconds)}: ${clip.detail}`
        : clip.waitingUntil ? `Saved ${label}: recording the rest until ${clock(new Date(clip.waitingUntil))}.`
        : `Saved ${label}.`, 'ok');
      onClip(clip);
      refresh(); // the capture just measured the footage: resynchronise the local count with the server's
    } catch (e) {
      say(e.message, 'error');
      if (e.type === 'rate-limited' && e.retryAfterSeconds) {
        blockedUntil = Date.now() + e.retryAfterSeconds * 1000;
        tick(); // disable the buttons now and count the wait down
      }
      if (e.status === 404 || e.type === 'nothing-to-capture') {
        refresh();
      }
    }
  }

  // --- preview and range ---

  function loadPreview() {
    const video = $('preview');
    if (!buffer || !window.Hls) {
      return;
    }
    const url = `/api/v1/replay-buffers/${buffer.id}/preview.m3u8`;
    if (hls) {
      hls.destroy();
    }
    if (window.Hls.isSupported()) {
      hls = new window.Hls({ xhrSetup: (xhr) => xhr.setRequestHeader('Authorization', `Bearer ${session.token}`),
        liveDurationInfinity: false });
      hls.on(window.Hls.Events.LEVEL_UPDATED, updateRange);
      hls.loadSource(url);
      hls.attachMedia(video);
    }
    loadMarkers();
  }

  // --- markers on the preview timeline ---

  async function loadMarkers() {
    try {
      markers = (await api(`/api/v1/replay-buffers/${buffer.id}/markers`)).items;
    } catch (e) {
      markers = []; // the preview works without them
    }
    renderMarkers();
  }

  /** Each marker where its instant is in the preview, labelled; a click shows that moment. */
  function renderMarkers() {
    const track = $('marker-track');
    const frags = fragments();
    track.replaceChildren();
    if (!frags.length) {
      return;
    }
    const min = frags[0].start;
    const max = frags[frags.length - 1].start + frags[frags.length - 1].duration;
    for (const marker of markers) {
      const at = Date.parse(marker.at);
      const frag = frags.find((f) => at >= f.programDateTime && at < f.programDateTime + f.duration * 1000);
      if (!frag || max <= min) {
        continue; // not in the footage the preview shows (yet, or any more)
      }
      const position = frag.start + (at - frag.programDateTime) / 1000;
      const item = document.createElement('button');
      item.type = 'button';
      item.className = 'marker';
      item.setAttribute('role', 'listitem');
      item.textContent = marker.label;
      item.title = `${marker.label}${marker.kind ? ` (${marker.kind})` : ''} · ${clock(new Date(at))}`;
      item.dataset.id = marker.id;
      item.style.left = `${((position - min) / (max - min)) * 100}%`;
      item.addEventListener('click', () => seekPreview(position));
      track.append(item);
    }
  }

  /** Playlist fragments with their wall-clock start: a position in the video maps to an instant of footage. */
  function fragments() {
    const level = hls && hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : 0];
    return (level && level.details && level.details.fragments) || [];
  }

  function instantAt(position) {
    const frag = fragments().find((f) => position >= f.start && position < f.start + f.duration)
      || fragments()[fragments().length - 1];
    return frag ? new Date(frag.programDateTime + (position - frag.start) * 1000) : null;
  }

  function updateRange() {
    const frags = fragments();
    if (!frags.length) {
      return;
    }
    const min = frags[0].start;
    const max = frags[frags.length - 1].start + frags[frags.length - 1].duration;
    const start = $('range-start');
    const end = $('range-end');
    const wasUnset = Number(end.max) === 0;
    start.min = end.min = String(min);
    start.max = end.max = String(max);
    if (wasUnset) {
      start.value = String(Math.max(min, max - 20));
      end.value = String(max);
    }
    showRange();
    renderMarkers();
  }

  function showRange() {
    const start = Number($('range-start').value);
    const end = Number($('range-end').value);
    $('range-start-label').textContent = clock(instantAt(start));
    $('range-end-label').textContent = `${clock(instantAt(end))} (${formatSeconds(Math.max(0, end - start))})`;
  }

  function seekPreview(position) {
    const video = $('preview');
    video.pause();
    video.currentTime = Number(position);
  }

  function captureRange() {
    const start = Number($('range-start').value);
    const end = Number($('range-end').value);
    if (end - start < 1) {
      say('Choose an end at least one second after the start.', 'error');
      return;
    }
    capture({ startAt: instantAt(start).toISOString(), endAt: instantAt(end).toISOString() },
      `the chosen ${formatSeconds(end - start)}`);
  }

  // --- wiring ---

  document.querySelectorAll('.capture-buttons button').forEach((button) => {
    button.addEventListener('click', () => {
      const seconds = Number(button.dataset.seconds);
      const after = Number(button.dataset.after || 0);
      if (after > 0) {
        capture({ durationSeconds: seconds, afterSeconds: after },
          `the last ${formatSeconds(seconds - after)} and the next ${formatSeconds(after)}`);
      } else {
        capture({ durationSeconds: seconds }, `the last ${formatSeconds(seconds)}`);
      }
    });
  });
  $('range-panel').addEventListener('toggle', () => { if ($('range-panel').open) loadPreview(); });
  // Moving a handle shows that moment in the preview, so the range is chosen by eye.
  $('range-start').addEventListener('input', () => { showRange(); seekPreview($('range-start').value); });
  $('range-end').addEventListener('input', () => { showRange(); seekPreview($('range-end').value); });
  $('mark-start').addEventListener('click', () => { $('range-start').value = String($('preview').currentTime); showRange(); });
  $('mark-end').addEventListener('click', () => { $('range-end').value = String($('preview').currentTime); showRange(); });
  $('capture-range').addEventListener('click', captureRange);
  $('start-participant').value = session.user || '';
  $('start-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    form.bufferSeconds = Number(form.bufferSeconds);
    if (!form.audioTrackId) {
      delete form.audioTrackId;
    }
    try {
      setBuffer(await api('/api/v1/replay-buffers', { method: 'POST', body: form }));
      say('Buffer started. Footage becomes capturable as it records.', 'ok');
    } catch (e) {
      say(e.message, 'error');
    }
  });
  setInterval(tick, 1000);

  return {
    refresh,
    /** marker.created carries the marker: shown at once if the preview is of its buffer. */
    onMarker(marker) {
      if (buffer && marker.bufferId === buffer.id && !markers.some((m) => m.id === marker.id)) {
        markers.push(marker);
        renderMarkers();
      }
    },
    /** buffer.* events carry the buffer: take it as it is. */
    onEvent(type, body) {
      if (!buffer || body.id === buffer.id || type === 'buffer.started') {
        setBuffer(body);
      }
    },
  };
}

export function formatSeconds(seconds) {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

function clock(date) {
  return date ? date.toLocaleTimeString() : '–';
}
