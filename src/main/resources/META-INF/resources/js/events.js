// The caller's events (GET /api/v1/events) as Server-Sent Events. EventSource cannot send the bearer token, so the
// stream is read with fetch. A lost connection is retried with growing pauses, and `onReconnect` lets the page
// reload what it may have missed.

import { session } from './api.js';

export function listen({ onEvent, onDown, onReconnect }) {
  let attempt = 0;
  let stopped = false;
  let controller;
  let wasDown = false;

  async function connect() {
    controller = new AbortController();
    try {
      const response = await fetch('/api/v1/events', {
        headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      attempt = 0;
      if (wasDown) {
        wasDown = false;
        onReconnect();
      }
      await read(response.body.getReader());
      throw new Error('stream closed');
    } catch (e) {
      if (stopped) {
        return;
      }
      wasDown = true;
      onDown();
      const pause = Math.min(15000, 500 * 2 ** attempt++);
      setTimeout(connect, pause);
    }
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  function dispatch(block) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) {
        name = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    if (data.length) {
      onEvent(name, JSON.parse(data.join('\n')));
    }
  }

  connect();
  return () => { stopped = true; controller && controller.abort(); };
}
