// Live lists in a real browser: a request shows in the dispatcher's open queue,
// and an assignment in the technician's open list, within 2 s and without a
// reload; a list waits while the dispatcher is inside one of its forms.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test live.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, navigating, newPage, signIn, startServer } from './lib.mjs';

/** The promise. */
const LIVE_MS = 2_000;
const TIMEOUT = { timeout: 120_000 };

let server;
let browser;
let requester, dispatcher, technician; // { context, page }
let technicianName;
/** Request numbers, in the order submitted. */
const numbers = [];
/** Milliseconds from a change to its row on screen, for the report. */
const measured = [];
/** Per page: how many times its document was replaced since the list opened. */
const reloads = new Map();

/** Opens `path` and waits until its live stream is connected. */
async function openLive(page, path) {
  const connected = page.waitForResponse((r) => new URL(r.url()).pathname === '/live' && r.status() === 200);
  await navigating(page, () => page.goto(path));
  await connected;
  // Any later navigation of this page would be a reload: count them.
  reloads.set(page, 0);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) reloads.set(page, reloads.get(page) + 1);
  });
}

/** The requester submits a password-reset request through the form; returns its number. */
async function submitRequest(title) {
  const { page } = requester;
  await navigating(page, () => page.goto('/requests/new'));
  await page.locator('label[for="category-reinicio_clave"]').click();
  const form = page.locator('#request-form');
  await form.locator('input[name="category"][value="reinicio_clave"]').waitFor({ state: 'attached' });
  await form.locator('#title').fill(title);
  await form.locator('#field-sistema').fill('Correo institucional');
  await form.locator('#field-usuario').fill('aperez');
  await form.locator('#description').fill('No recuerdo la contraseña.');
  const at = Date.now();
  await navigating(page, () => form.locator('button[type=submit]').click());
  const m = new URL(page.url()).pathname.match(/^\/requests\/(\d+)$/);
  assert.ok(m, `the request was submitted (now on ${page.url()})`);
  numbers.push(m[1]);
  return { number: m[1], at };
}

/**
 * Waits (up to LIVE_MS after the call) for `selector` on `page`; records the
 * milliseconds since `since`, the moment the change was sent.
 */
async function appears(page, selector, since, what) {
  await page.locator(selector).first().waitFor({ state: 'attached', timeout: LIVE_MS });
  const ms = Date.now() - since;
  measured.push(`${what}: ${ms} ms`);
  assert.equal(reloads.get(page), 0, `${what}: the page was not reloaded`);
  return ms;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  requester = await newPage(browser, server.url);
  await signIn(requester.page, 'solicitante');
  dispatcher = await newPage(browser, server.url);
  await signIn(dispatcher.page, 'soporte');
  technician = await newPage(browser, server.url);
  await signIn(technician.page, 'tecnico');
  technicianName = (await technician.page.locator('.navbar-text strong').innerText()).trim();
  await openLive(dispatcher.page, '/queue');
  await openLive(technician.page, '/mine');
});

after(async () => {
  console.log(`\nLive updates, change to row on screen:\n  ${measured.join('\n  ')}`);
  await browser?.close();
  await server?.stop();
});

test('a new request appears in the dispatcher’s open queue', TIMEOUT, async () => {
  const { number, at } = await submitRequest('E2E en vivo: olvidé la contraseña');
  await appears(dispatcher.page, `#queue-lists form[action="/tickets/${number}/assign"]`, at, 'request → queue');
  const status = dispatcher.page.locator('[data-live-status]');
  await assert.doesNotReject(
    status.filter({ hasText: 'Lista actualizada' }).waitFor({ timeout: LIVE_MS }),
    'the status line announces the update',
  );
});

test('the queue waits while the dispatcher is choosing in a form', TIMEOUT, async () => {
  const page = dispatcher.page;
  const [first] = numbers;
  const select = page.locator(`#technician-${first}`);
  const value = await select.locator('option', { hasText: technicianName }).first().getAttribute('value');
  await select.selectOption(value);
  await select.focus();
  const { number } = await submitRequest('E2E en vivo: mientras elige');
  await page.locator('[data-live-status]', { hasText: 'La lista cambió' }).waitFor({ timeout: LIVE_MS });
  assert.equal(await page.locator(`#queue-lists form[action="/tickets/${number}/assign"]`).count(), 0,
    'no update while the dispatcher is in a form');
  assert.equal(await select.inputValue(), value, 'the choice is kept');
  assert.ok(await select.evaluate((el) => el === document.activeElement), 'focus is kept');
  // Leaving the form lets the waiting update through.
  const left = Date.now();
  await page.locator('h1').click();
  await appears(page, `#queue-lists form[action="/tickets/${number}/assign"]`, left, 'form left → queue');
});

test('an assignment appears in the technician’s open list', TIMEOUT, async () => {
  const page = dispatcher.page;
  const [first] = numbers;
  const form = page.locator(`form[action="/tickets/${first}/assign"]`);
  const select = form.locator(`#technician-${first}`);
  const value = await select.locator('option', { hasText: technicianName }).first().getAttribute('value');
  await select.selectOption(value);
  // The assignment is an ordinary form post: the dispatcher's page reloads.
  const at = Date.now();
  await navigating(page, () => form.locator('button[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, '/queue');
  await appears(technician.page, `#mine-list a[href="/tickets/${first}"]`, at, 'assignment → mine');
});

test('a list whose session has ended sends the user to sign in, not to an empty list', TIMEOUT, async () => {
  const page = dispatcher.page;
  await openLive(page, '/queue');
  // Signed out behind the page's back: the open stream still tells of changes.
  await dispatcher.context.clearCookies();
  // A bound for a broken page, not a timing: it covers the requester's whole
  // submission too, which on a busy two-core machine has taken over 5 s.
  const signInPage = page.waitForURL((url) => url.pathname === '/login', { timeout: 30_000 });
  await submitRequest('E2E en vivo: tras cerrar la sesión');
  await assert.doesNotReject(signInPage, 'the page went to sign-in');
});
