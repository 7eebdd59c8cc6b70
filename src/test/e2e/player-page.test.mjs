// The player page in a real browser (Debian's Chromium through playwright-core) against the service running on the
// simulated egress. Started by PlayerPageBrowserTest, which passes BASE_URL, the players' tokens and where to keep
// screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const { BASE_URL, TOKEN, TOKEN_FULL, TOKEN_RATE, TOKEN_MARK, CHROMIUM = '/usr/bin/chromium', SCREENSHOTS = 'target/e2e' } = process.env;
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
});
after(async () => browser && browser.close());

async function signedIn(token, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(`${m.text()} ${m.location().url || ''}`); });
  await page.goto(`${BASE_URL}/#token=${token}`);
  await page.getByText('Signed in as').waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');
  return page;
}

async function startBuffer(page) {
  await page.getByRole('button', { name: 'Start buffer' }).click();
  await page.locator('#buffer-status.active').waitFor({ timeout: 20000 });
  // Capture buttons enable once the first footage is there (the simulated egress writes 1-second segments).
  await page.getByRole('button', { name: 'Capture last 30 s' }).and(page.locator(':enabled')).waitFor({ timeout: 30000 });
}

async function apiJson(page, path) {
  return page.evaluate(async ([p, token]) => {
    const r = await fetch(p, { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, body: r.status === 200 ? await r.json() : null };
  }, [path, await page.evaluate(() => sessionStorage.getItem('replay-buffer.token'))]);
}

test('a newcomer captures the last 30 s, watches it turn ready, plays, downloads, renames, shares, trims a range and deletes', async () => {
  const page = await signedIn(TOKEN);
  await startBuffer(page);
  await page.waitForTimeout(3000); // a few more seconds of footage for the range below
  await page.evaluate(() => { window.notReloaded = true; });
  await page.screenshot({ path: `${SCREENSHOTS}/buffer.png` });

  // Capture from the button; the clip appears at once and turns READY through clip.ready, without a reload.
  await page.getByRole('button', { name: 'Capture last 30 s' }).click();
  await page.getByText(/^Saved /).waitFor();
  await page.locator('.clip').first().waitFor();
  await page.locator('.clip[data-status=READY]').first().waitFor({ timeout: 30000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  await page.locator('.clip img[src^="blob:"]').first().waitFor({ timeout: 15000 }).catch(() => {});
  await page.screenshot({ path: `${SCREENSHOTS}/clips.png` });

  // Play it in the page, and seek.
  await page.locator('.clip[data-status=READY] .thumb').first().click();
  const video = page.locator('#player-video');
  await page.waitForFunction(() => {
    const v = document.getElementById('player-video');
    return v.readyState >= 2 && v.duration > 1;
  }, null, { timeout: 15000 });
  const seeked = await video.evaluate(async (v) => {
    v.pause();
    const target = v.duration / 2;
    await new Promise((resolve) => { v.addEventListener('seeked', resolve, { once: true }); v.currentTime = target; });
    return Math.abs(v.currentTime - target) < 1;
  });
  assert.ok(seeked, 'seeking works (Range requests)');
  await page.screenshot({ path: `${SCREENSHOTS}/player.png` });
  await page.getByRole('button', { name: 'Close' }).click();

  // Download: an MP4 arrives.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('.clip[data-status=READY] .download').first().click()]);
  const file = await readFile(await download.path());
  assert.ok(file.length > 10000, `downloaded ${file.length} bytes`);
  assert.equal(file.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 file');

  // Rename, make it unlisted, and copy a share link that works without signing in.
  const card = page.locator('.clip[data-status=READY]').first();
  const id = await card.getAttribute('data-id');
  await card.locator('.title').fill('My best play');
  await card.locator('.title').press('Enter');
  await card.locator('.visibility').selectOption('UNLISTED');
  await page.waitForFunction(async ([clipId, token]) => {
    const r = await fetch(`/api/v1/clips/${clipId}`, { headers: { Authorization: `Bearer ${token}` } });
    const clip = await r.json();
    return clip.title === 'My best play' && clip.visibility === 'UNLISTED';
  }, [id, TOKEN]);
  await card.locator('.share').click();
  await page.getByText(/Share link copied/).waitFor();
  const shared = await page.evaluate(() => navigator.clipboard.readText());
  const anonymous = await fetch(shared, { headers: { Range: 'bytes=0-15' } });
  assert.equal(anonymous.status, 206, `the share link downloads without a token (${shared})`);

  // Range capture through the preview: choose 4 seconds and capture exactly those.
  await page.getByText('Preview and capture a range').click();
  await page.waitForFunction(() => Number(document.getElementById('range-end').max) > 4, null, { timeout: 20000 });
  await page.evaluate(() => {
    const start = document.getElementById('range-start');
    const end = document.getElementById('range-end');
    end.value = String(Number(end.max) - 1);
    start.value = String(Number(end.max) - 5);
    start.dispatchEvent(new Event('input'));
    end.dispatchEvent(new Event('input'));
  });
  await page.screenshot({ path: `${SCREENSHOTS}/range.png` });
  const before = await page.locator('.clip').count();
  await page.getByRole('button', { name: 'Capture this range' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.clip').length > n, before);
  const rangeId = await page.locator('.clip').first().getAttribute('data-id');
  await page.locator(`.clip[data-id="${rangeId}"][data-status=READY]`).waitFor({ timeout: 30000 });
  const rangeClip = await apiJson(page, `/api/v1/clips/${rangeId}`);
  assert.ok(Math.abs(rangeClip.body.durationSeconds - 4) <= 1.2,
    `the range clip lasts what was chosen (4 s), not ${rangeClip.body.durationSeconds} s`);

  // Delete, after confirming.
  await page.locator(`.clip[data-id="${rangeId}"] .delete`).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this clip?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator(`.clip[data-id="${rangeId}"]`).waitFor({ state: 'detached' });
  assert.equal((await apiJson(page, `/api/v1/clips/${rangeId}`)).status, 404, 'the clip is gone on the server');

  // The same page on a phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}/phone.png`, fullPage: true });
  await page.context().close();
});

test('markers show on the preview timeline, and "save, with the next 10 s" waits for what happens next', async () => {
  const page = await signedIn(TOKEN_MARK);
  await startBuffer(page);
  await page.waitForTimeout(2000);
  // The game marks a moment (here through the API with the player's token, as a game server would with its own).
  const buffer = (await apiJson(page, '/api/v1/replay-buffers/current')).body;
  const marked = await page.evaluate(async ([id, token]) => {
    const r = await fetch(`/api/v1/replay-buffers/${id}/markers`, { method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'Boss down', kind: 'kill', at: new Date(Date.now() - 1500).toISOString() }) });
    return r.status;
  }, [buffer.id, TOKEN_MARK]);
  assert.equal(marked, 201);
  await page.getByText('Preview and capture a range').click();
  const marker = page.locator('#marker-track .marker', { hasText: 'Boss down' });
  await marker.waitFor({ timeout: 20000 });
  const left = await marker.evaluate((m) => parseFloat(m.style.left));
  assert.ok(left > 0 && left <= 100, `the marker sits on the timeline (${left}%)`);
  await page.screenshot({ path: `${SCREENSHOTS}/markers.png` });

  const clicked = Date.now();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/captures') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Save, with the next 10 s' }).click()]);
  const saved = await response.json();
  assert.equal(saved.status, 'PROCESSING');
  const waitingUntil = Date.parse(saved.waitingUntil);
  assert.ok(Math.abs(waitingUntil - (clicked + 10000)) < 3000, `waits for the next 10 s (${saved.waitingUntil})`);
  await page.getByText(/recording the rest until/).waitFor();
  await page.locator(`.clip[data-id="${saved.id}"]`).getByText(/Recording what happens next/).waitFor();
  await page.locator(`.clip[data-id="${saved.id}"][data-status=READY]`).waitFor({ timeout: 60000 });
  // Stop this player's buffer: the simulated egress encodes every live buffer in real time, on a shared machine.
  const stopped = await page.evaluate(async ([id, token]) => (await fetch(`/api/v1/replay-buffers/${id}`,
    { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status, [buffer.id, TOKEN_MARK]);
  assert.equal(stopped, 200);
  const clip = (await apiJson(page, `/api/v1/clips/${saved.id}`)).body;
  assert.ok(Date.parse(clip.capturedTo) > clicked, `the clip holds footage recorded after the press (${clip.capturedTo})`);
  // To the end of the post-roll; short of it only when the recording broke off (a simulated encoder that cannot keep
  // up on a loaded machine leaves a gap), and then the clip says so.
  assert.ok(clip.capturedTo === saved.waitingUntil || (clip.truncated && /post-roll|gap|in time/.test(clip.detail)),
    `the clip reaches the end of the post-roll (${clip.capturedTo} of ${saved.waitingUntil}: ${clip.detail})`);
  assert.deepEqual(clip.markers.map((m) => m.label), ['Boss down'], 'the clip lists the marker it covers');
  await page.context().close();
});

test('the page loads with no console error', async () => {
  // The newcomer's buffer is still live: a player without one sees GET .../current answer 404 (the contract), which
  // the browser logs as an error whatever the page does with it. Headless Chromium asks for no icon; FaviconTest
  // checks the one the page links.
  const page = await signedIn(TOKEN);
  await page.locator('#buffer-status.active').waitFor({ timeout: 20000 });
  await page.waitForTimeout(1500); // late requests
  assert.deepEqual(page.consoleErrors, [], 'console errors while loading');
  await page.context().close();
});

test('a full quota, a rate limit and a lost network say so in words', async () => {
  const page = await signedIn(TOKEN_FULL);
  await startBuffer(page);
  const capture = page.getByRole('button', { name: 'Capture last 30 s' });
  // Refused captures use no permit of REPLAY_CAPTURE_RATE (3 a minute): the 4th is still refused for the quota.
  for (let i = 1; i <= 4; i++) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/captures') && r.request().method() === 'POST'),
      capture.and(page.locator(':enabled')).click()]);
    assert.equal(response.status(), 403, `capture ${i} is refused for the quota, not the rate`);
  }
  await page.getByText('Your clip storage is full').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/quota-full.png` });

  // Network loss and return.
  await page.context().setOffline(true);
  await page.getByText(/offline|Connection lost/).waitFor();
  await page.context().setOffline(false);
  await page.getByText(/Back online|Reconnected/).waitFor();
  await page.context().close();

  // Three captures that are saved use the minute's permits: the 4th is refused with the wait, and the buttons
  // wait with it.
  const fast = await signedIn(TOKEN_RATE);
  await startBuffer(fast);
  const again = fast.getByRole('button', { name: 'Capture last 30 s' });
  for (let i = 1; i <= 3; i++) {
    await again.and(fast.locator(':enabled')).click();
    await fast.waitForFunction((n) => document.querySelectorAll('.clip').length >= n, i);
  }
  await again.and(fast.locator(':enabled')).click();
  await fast.getByText(/You are capturing too fast\. Try again in \d+ s\./).waitFor();
  assert.equal(await again.isDisabled(), true, 'capture buttons wait out the limit');
  await fast.context().close();
});

test('without a token the page asks for one', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE_URL);
  await page.getByLabel('Access token').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png` });
  await context.close();
});
