// Wires the page: sign-in, the two panels, live events, and messages.

import { session } from './api.js';
import { bufferPanel } from './buffer.js';
import { clipsPanel } from './clips.js';
import { listen } from './events.js';

const $ = (id) => document.getElementById(id);

function say(text, kind) {
  const message = $('capture-message');
  message.textContent = text;
  message.className = `message ${kind || ''}`;
}

function banner(text, ok) {
  const el = $('banner');
  el.textContent = text;
  el.className = `banner${ok ? ' ok' : ''}`;
  el.hidden = !text;
}

function start() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `Signed in as ${session.user || 'player'}`;
  const clips = clipsPanel({ say });
  const buffer = bufferPanel({ say, onClip: (clip) => clips.added(clip) });
  buffer.refresh();
  clips.reload();
  listen({
    onEvent(type, body) {
      if (type.startsWith('buffer.')) {
        buffer.onEvent(type, body);
      } else if (type.startsWith('clip.')) {
        clips.onEvent(type, body);
      } else if (type === 'marker.created') {
        buffer.onMarker(body);
      }
    },
    onDown() { banner('Connection lost. Reconnecting…'); },
    onReconnect() {
      banner('Reconnected.', true);
      setTimeout(() => banner(''), 3000);
      buffer.refresh(); // events sent while we were away are not replayed: read the current state
      clips.reload();
    },
  });
}

function signIn() {
  $('sign-in').hidden = false;
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    session.save($('token-input').value);
    start();
  });
  $('token-input').focus();
}

$('sign-out').addEventListener('click', () => { session.clear(); location.reload(); });
window.addEventListener('offline', () => banner('You are offline. Reconnecting when the network is back…'));
window.addEventListener('online', () => {
  // The event stream reconnects by itself (and says so); this covers a drop too short for it to notice.
  banner('Back online.', true);
  setTimeout(() => banner(''), 3000);
});

if (session.load()) {
  start();
} else {
  signIn();
}
