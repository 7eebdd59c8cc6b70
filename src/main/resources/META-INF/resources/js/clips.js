// "My clips": a grid, newest first, paged; a clip being built shows progress and turns ready on `clip.ready`;
// play in the page, download, rename, visibility, share link, delete (confirmed); the quota bar.

import { api, imageUrl } from './api.js';
import { formatSeconds } from './buffer.js';

const $ = (id) => document.getElementById(id);
const PAGE = 12;
const SHARE_SECONDS = 7 * 24 * 3600;

export function clipsPanel({ say }) {
  let cursor = null;
  const cards = new Map();

  async function reload() {
    cursor = null;
    cards.clear();
    $('clips').replaceChildren();
    await more();
    await quota();
  }

  async function more() {
    try {
      const page = await api(`/api/v1/clips?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      page.items.forEach((clip) => show(clip, false));
      cursor = page.nextCursor;
      $('more').hidden = !cursor;
      $('clips-empty').hidden = cards.size > 0;
    } catch (e) {
      say(e.message, 'error');
    }
  }

  async function quota() {
    try {
      const q = await api('/api/v1/quota');
      const share = q.limitBytes ? q.usedBytes / q.limitBytes : 0;
      $('quota-bar').value = Math.min(1, share);
      $('quota-text').textContent = `${bytes(q.usedBytes)} of ${bytes(q.limitBytes)} · ${q.clipCount} of ${q.limitClips} clips`;
      $('quota-bar').setAttribute('aria-valuetext', $('quota-text').textContent);
    } catch (e) {
      say(e.message, 'error');
    }
  }

  /** Adds or updates a clip's card; new clips go first (newest first). */
  function show(clip, first) {
    let card = cards.get(clip.id);
    if (card && clip.status === 'PROCESSING' && card.clip.status !== 'PROCESSING') {
      // An older view: a clip never goes back to PROCESSING. A build of a few milliseconds sends clip.ready before
      // the capture's own answer (PROCESSING) arrives, which must not undo it.
      return;
    }
    if (!card) {
      card = $('clip-template').content.firstElementChild.cloneNode(true);
      wire(card, clip.id);
      cards.set(clip.id, card);
      if (first) {
        $('clips').prepend(card);
      } else {
        $('clips').append(card);
      }
    }
    card.clip = clip;
    card.dataset.status = clip.status;
    card.dataset.id = clip.id;
    const title = card.querySelector('.title');
    if (document.activeElement !== title) {
      title.value = clip.title || 'Untitled clip';
    }
    card.querySelector('.visibility').value = clip.visibility;
    card.querySelector('.badge').textContent = formatSeconds(clip.durationSeconds);
    const name = clip.title || 'clip';
    card.querySelector('.thumb').setAttribute('aria-label', `Play ${name}`);
    card.querySelector('.download').setAttribute('aria-label', `Download ${name}`);
    card.querySelector('.share').setAttribute('aria-label', `Copy share link of ${name}`);
    card.querySelector('.delete').setAttribute('aria-label', `Delete ${name}`);
    card.querySelector('.thumb').disabled = clip.status !== 'READY';
    const when = new Date(clip.createdAt).toLocaleString();
    card.querySelector('.facts').textContent = clip.status === 'READY'
      ? `${formatSeconds(clip.durationSeconds)} · ${bytes(clip.sizeBytes)} · ${when}`
      : clip.status === 'FAILED' ? `Failed: ${clip.error || 'unknown error'}`
      : clip.waitingUntil ? `Recording what happens next… · ${when}` : `Building… · ${when}`;
    if (clip.status === 'READY' && !card.dataset.thumb) {
      // clip.ready is sent before the poster frame exists (thumbnailUrl still empty): ask for it by its address.
      card.dataset.thumb = 'loading';
      thumbnail(card, clip.thumbnailUrl || `/api/v1/clips/${clip.id}/thumbnail.jpg`, 0);
    }
    $('clips-empty').hidden = true;
  }

  /** The poster frame is made just after the clip turns READY (off the capture's critical path): retry briefly. */
  async function thumbnail(card, url, attempt) {
    const src = await imageUrl(url).catch(() => null);
    if (src) {
      card.querySelector('img').src = src;
    } else if (attempt < 8) {
      setTimeout(() => thumbnail(card, url, attempt + 1), 750 * (attempt + 1));
    }
  }

  function wire(card, id) {
    card.querySelector('.thumb').addEventListener('click', () => play(card.clip));
    card.querySelector('.download').addEventListener('click', () => download(card.clip));
    card.querySelector('.share').addEventListener('click', () => share(card.clip));
    card.querySelector('.delete').addEventListener('click', () => remove(card.clip));
    card.querySelector('.visibility').addEventListener('change', (e) => patch(id, { visibility: e.target.value }));
    const title = card.querySelector('.title');
    title.addEventListener('change', () => {
      if (title.value.trim()) {
        patch(id, { title: title.value.trim() });
      }
    });
    title.addEventListener('keydown', (e) => { if (e.key === 'Enter') title.blur(); });
  }

  async function patch(id, body) {
    try {
      show(await api(`/api/v1/clips/${id}`, { method: 'PATCH', body }), false);
      say('Saved.', 'ok');
    } catch (e) {
      say(e.message, 'error');
    }
  }

  /** A short-lived signed link: the browser's video element and downloads cannot send the token. */
  async function link(clip, seconds) {
    return (await api(`/api/v1/clips/${clip.id}/links`, { method: 'POST', body: { expiresInSeconds: seconds } })).url;
  }

  async function play(clip) {
    try {
      const video = $('player-video');
      $('player-title').textContent = clip.title || 'Clip';
      video.src = await link(clip, 3600);
      $('player').showModal();
      video.play().catch(() => {});
    } catch (e) {
      say(e.message, 'error');
    }
  }

  async function download(clip) {
    try {
      const a = document.createElement('a');
      a.href = await link(clip, 300);
      a.download = `${clip.title || 'clip'}.mp4`;
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      say(e.message, 'error');
    }
  }

  async function share(clip) {
    try {
      const url = new URL(await link(clip, SHARE_SECONDS), location.href).href;
      await navigator.clipboard.writeText(url).catch(() => window.prompt('Copy this link', url));
      say('Share link copied: it works for 7 days, without signing in.', 'ok');
    } catch (e) {
      say(e.message, 'error');
    }
  }

  async function remove(clip) {
    const dialog = $('confirm');
    $('confirm-text').textContent = `“${clip.title || 'Untitled clip'}” will be deleted for good.`;
    dialog.returnValue = '';
    dialog.showModal();
    dialog.addEventListener('close', async function onClose() {
      dialog.removeEventListener('close', onClose);
      if (dialog.returnValue !== 'delete') {
        return;
      }
      try {
        await api(`/api/v1/clips/${clip.id}`, { method: 'DELETE' });
        cards.get(clip.id)?.remove();
        cards.delete(clip.id);
        $('clips-empty').hidden = cards.size > 0;
        say('Clip deleted.', 'ok');
        quota();
      } catch (e) {
        say(e.message, 'error');
      }
    });
  }

  $('more').addEventListener('click', more);
  $('player').addEventListener('close', () => { $('player-video').pause(); $('player-video').removeAttribute('src'); });

  return {
    reload,
    added(clip) { show(clip, true); quota(); },
    onEvent(type, clip) {
      show(clip, !cards.has(clip.id));
      if (type === 'clip.failed') {
        say(`A clip could not be saved: ${clip.error || 'unknown error'}`, 'error');
      }
      quota();
    },
  };
}

function bytes(n) {
  if (n == null) {
    return '–';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(n < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}
