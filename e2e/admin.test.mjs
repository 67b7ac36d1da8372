// The administrator's pages in a real browser: every page in Spanish and in
// English at 1920 px (axe-core on each, screenshots saved) and at 375 px, and one
// whole flow: the admin adds a field to a category and makes it required, and
// the requester's form then asks for it and refuses a request without it.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test admin.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeLog, launchBrowser, navigating, newPage, screenshot, signIn, startServer } from './lib.mjs';

const PAGES = [
  ['index', '/admin'],
  ['users', '/admin/users'],
  ['user', '/admin/users/solicitante'],
  ['departments', '/admin/departments'],
  ['queues', '/admin/queues'],
  ['categories', '/admin/categories'],
  ['category', '/admin/categories/telefonia'],
  ['settings', '/admin/settings'],
  ['calendars', '/admin/calendars'],
  ['otrs', '/admin/otrs'],
];
const WIDE = { width: 1920, height: 1080 };
const NARROW = { width: 375, height: 812 };
const TIMEOUT = { timeout: 180_000 };

let server;
let browser;
const axe = new AxeLog();

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  console.log(`sau at ${server.url} (pid ${server.pid}); chromium ${browser.version()}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  console.log(`\n${axe.report()}`);
});

/** Opens `path`, which must answer 200. */
async function open(page, path) {
  const response = await navigating(page, () => page.goto(path));
  assert.equal(response.status(), 200, `${path}: ${response.status()}`);
}

/** Stores `locale` as the signed-in user's language through the profile page. */
async function chooseLanguage(page, locale) {
  await open(page, '/profile');
  await page.locator(`#locale-${locale}`).check();
  await navigating(page, () => page.locator('form[action="/profile/language"] button[type=submit]').click());
  assert.equal(await page.locator('html').getAttribute('lang'), locale);
}

/** Visits every admin page: axe on each, a full-page screenshot of each. */
async function tour(page, lang) {
  for (const [name, path] of PAGES) {
    await open(page, path);
    assert.equal(await page.locator('html').getAttribute('lang'), lang, path);
    await axe.check(page, `admin ${name} (${lang})`);
    await screenshot(page, `admin-${lang}-1920-${name}`);
  }
}

test('every admin page passes axe in Spanish and English, wide and narrow', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url);
  try {
    await page.setViewportSize(WIDE);
    await signIn(page, 'admin');
    const nav = page.locator('header a[href="/admin"]');
    // The label carries a soft hyphen (U+00AD) for narrow screens.
    const navText = async () => (await nav.textContent()).replaceAll('\u00ad', '');
    assert.equal(await navText(), 'Administración');
    await tour(page, 'es');

    await chooseLanguage(page, 'en');
    await tour(page, 'en');
    assert.equal(await navText(), 'Administration');
    await chooseLanguage(page, 'es');

    await page.setViewportSize(NARROW);
    for (const [name, path] of [['category', '/admin/categories/telefonia'], ['users', '/admin/users']]) {
      await open(page, path);
      await axe.check(page, `admin ${name} (es, 375 px)`);
      await screenshot(page, `admin-es-375-${name}`);
      // Nothing makes the page scroll sideways; wide tables scroll inside their
      // own `.table-responsive` box.
      const beyond = await page.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.table-responsive') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
      assert.deepEqual(beyond, [], `${path}: wider than a 375 px screen`);
    }
  } finally {
    await context.close();
  }
  const blocking = axe.blocking();
  assert.deepEqual(
    blocking.map((v) => `${v.page}: ${v.id} (${v.impact})`),
    [],
    `serious or critical accessibility problems:\n${axe.report()}`,
  );
});

test('the admin adds a field, makes it required, and the request form enforces it', TIMEOUT, async () => {
  const admin = await newPage(browser, server.url);
  const requester = await newPage(browser, server.url);
  try {
    const page = admin.page;
    await page.setViewportSize(WIDE);
    await signIn(page, 'admin');
    await open(page, '/admin/categories');
    await navigating(page, () => page.locator('a[href="/admin/categories/reinicio_clave"]').click());

    // Added with the keyboard only: type, Tab, and Enter on the button.
    await page.locator('#add-field-key').fill('sala');
    await page.locator('#add-field-label_es').fill('Sala de reuniones');
    await page.locator('#add-field-label_en').fill('Meeting room');
    await page.locator('#add-field-kind').selectOption('text');
    const add = page.locator('form[action="/admin/categories/reinicio_clave/fields"] button[type=submit]');
    await add.focus();
    const outline = await add.evaluate((el) => getComputedStyle(el).boxShadow + getComputedStyle(el).outlineStyle);
    assert.ok(!/^none\s*none$/.test(outline), `the focused button shows no focus ring (${outline})`);
    const added = await navigating(page, () => page.keyboard.press('Enter'));
    assert.match(added.url(), /done=saved$/);
    await page.waitForURL(/done=saved$/);
    const field = page.locator('#field-sala');
    await field.waitFor();
    assert.match(await field.textContent(), /Opcional/);
    await screenshot(page, 'admin-es-1920-field-added');

    await navigating(page, () => field.locator('form[action$="/fields/sala/required"] button').click());
    await page.locator('#field-sala .badge.text-bg-primary').waitFor();
    assert.match(await page.locator('#field-sala').textContent(), /Obligatorio/);
    await axe.check(page, 'admin category after adding a field (es)');
    await screenshot(page, 'admin-es-1920-field-required');

    const form = requester.page;
    await signIn(form, 'solicitante');
    await open(form, '/requests/new?category=reinicio_clave');
    const input = form.locator('#field-sala');
    assert.equal(await input.getAttribute('required'), '');
    assert.match(await form.locator('label[for="field-sala"]').textContent(), /Sala de reuniones/);
    await form.locator('#title').fill('Clave del correo');
    await form.locator('#field-sistema').fill('Correo');
    await form.locator('#field-usuario').fill('aperez');
    await form.locator('#description').fill('Olvidé mi clave.');
    // The browser would stop at `required`; the server must refuse it too.
    await input.evaluate((el) => el.removeAttribute('required'));
    const refused = await navigating(form, () => form.locator('#request-form button[type=submit]').click());
    assert.equal(refused.status(), 422);
    await form.locator('#field-sala-error').waitFor();
    await screenshot(form, 'admin-es-1920-request-refused-without-field');
    await form.locator('#field-sala').fill('B-3');
    const sent = await navigating(form, () => form.locator('#request-form button[type=submit]').click());
    assert.equal(sent.status(), 200);
    await form.waitForURL(/\/requests\/\d+(\?sent=1)?$/);
  } finally {
    await admin.context.close();
    await requester.context.close();
  }
  const blocking = axe.blocking();
  assert.deepEqual(blocking.map((v) => `${v.page}: ${v.id} (${v.impact})`), [], axe.report());
});
