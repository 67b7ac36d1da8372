// The procedure with the keyboard alone: every step reached with Tab (and arrow
// keys, Enter, typing), never the mouse, with a visible focus ring at each stop.
// Then the main pages at a phone's width (375 px) and a desktop's (1920 px):
// nothing may make the page scroll sideways.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test keyboard.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { clearScreenshots, launchBrowser, navigating, newPage, screenshot, startServer } from './lib.mjs';

const TIMEOUT = { timeout: 180_000 };
/** More Tab presses than any page here needs to reach anything on it. */
const MAX_TABS = 120;

let server;
let browser;
let number;
/** Tab presses per step, printed at the end. */
const tabs = [];

before(async () => {
  await clearScreenshots();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tabs.length) {
    console.log('\nKeyboard-only walk (key presses per step):');
    for (const [step, n] of tabs) console.log(`  ${step.padEnd(36)} ${n}`);
  }
});

/** Fails unless the focused element shows a focus ring (outline or shadow). */
async function assertFocusVisible(page) {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return {
      visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
      what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.textContent?.trim().slice(0, 30) ?? ''}`,
    };
  });
  assert.ok(ring.visible, `no visible focus on ${ring.what}`);
}

/** Presses Tab until `selector` has focus; returns the presses. */
async function tabTo(page, selector) {
  for (let i = 1; i <= MAX_TABS; i += 1) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
    if (hit) {
      await assertFocusVisible(page);
      return i;
    }
  }
  throw new Error(`Tab never reached ${selector} on ${page.url()}`);
}

/** A walk of one person, counting key presses per step. */
function walker(page) {
  let presses = 0;
  return {
    async tab(selector) { presses += await tabTo(page, selector); },
    async type(text) { presses += text.length; await page.keyboard.type(text); },
    async press(key) { presses += 1; await page.keyboard.press(key); },
    async enterAndLoad() { presses += 1; return navigating(page, () => page.keyboard.press('Enter')); },
    done(step) { tabs.push([step, presses]); presses = 0; },
  };
}

async function signInByKeyboard(page, login) {
  const me = walker(page);
  await navigating(page, () => page.goto('/login'));
  await me.tab('#login');
  await me.type(login);
  await me.tab('#password');
  await me.type(login);
  await me.enterAndLoad();
  assert.equal(new URL(page.url()).pathname, '/', `${login} signed in: ${await page.locator('main').innerText()} [${await page.locator('#login').inputValue().catch(() => '')}]`);
  me.done(`sign in (${login})`);
}

test('requester, dispatcher and technician with the keyboard alone', TIMEOUT, async () => {
  const requester = await newPage(browser, server.url);
  const dispatcher = await newPage(browser, server.url);
  const technician = await newPage(browser, server.url);
  try {
    // The requester: a telephony request.
    let page = requester.page;
    await signInByKeyboard(page, 'solicitante');
    let me = walker(page);
    await me.tab('a.nav-link[href="/requests/new"]');
    await me.enterAndLoad();
    await me.tab('input[name="category"]');
    // Arrow keys move through the category radios; htmx brings the fields.
    await me.press('ArrowRight');
    await page.locator('#request-form input[name="category"][value="telefonia"]').waitFor({ state: 'attached' });
    await me.tab('#title');
    await me.type('Teclado: el teléfono no tiene tono');
    const required = await page.locator('#request-form [id^="field-"][required]').evaluateAll((els) =>
      els.map((e) => ({ id: e.id, tag: e.tagName })));
    for (const f of required) {
      await me.tab(`#${f.id}`);
      if (f.tag === 'SELECT') await me.press('ArrowDown');
      else await me.type('2145');
    }
    await me.tab('#description');
    await me.type('Sin tono desde esta mañana.');
    await me.tab('#request-form button[type="submit"]');
    await me.enterAndLoad();
    const m = new URL(page.url()).pathname.match(/^\/requests\/(\d+)$/);
    assert.ok(m, `the request was sent (${page.url()})`);
    number = m[1];
    me.done('request (telephony)');
    await screenshot(page, 'keyboard-request-sent');

    // The dispatcher assigns it from the queue to Teresa (tecnico), choosing
    // her by typing the start of her name on the technician list.
    page = dispatcher.page;
    await signInByKeyboard(page, 'soporte');
    me = walker(page);
    await me.tab('a.nav-link[href="/queue"]');
    await me.enterAndLoad();
    await me.tab(`#technician-${number}`);
    await me.type('Tere');
    assert.equal(await page.locator(`#technician-${number}`).inputValue(), 'tecnico', 'Teresa chosen');
    await me.tab(`form[action="/tickets/${number}/assign"] button[type="submit"]`);
    await me.enterAndLoad();
    assert.equal(await page.locator(`form[action="/tickets/${number}/assign"]`).count(), 0, 'assigned');
    me.done('triage and assign');

    // The technician accepts and resolves.
    page = technician.page;
    await signInByKeyboard(page, 'tecnico');
    me = walker(page);
    await me.tab('a.nav-link[href="/mine"]');
    await me.enterAndLoad();
    await me.tab(`a[href="/tickets/${number}"]`);
    await me.enterAndLoad();
    await me.tab('button[data-action="accept"]');
    await me.enterAndLoad();
    await page.locator('h1 .badge.state-in_progress').waitFor();
    await me.tab('#resolve-resolution');
    await me.type('Se reconectó el cable del teléfono.');
    await me.tab('button[data-action="resolve"]');
    await me.enterAndLoad();
    await page.locator('h1 .badge.state-resolved').waitFor();
    me.done('accept and resolve');
    await screenshot(page, 'keyboard-resolved');

    // The dispatcher closes it from the queue's list of resolved tickets.
    page = dispatcher.page;
    me = walker(page);
    await navigating(page, () => page.reload());
    await me.tab(`form[action="/tickets/${number}/close"] button[type="submit"]`);
    await me.enterAndLoad();
    assert.equal(await page.locator(`form[action="/tickets/${number}/close"]`).count(), 0, 'closed');
    me.done('close');
  } finally {
    await requester.context.close();
    await dispatcher.context.close();
    await technician.context.close();
  }
});

/** Whether the page scrolls sideways: wider content than the window. */
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => {
        // Content inside a scrolling box (wide tables) scrolls there, not the page.
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
        }
        return el.getBoundingClientRect().right > width + 1;
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`);
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
  });
}

test('the main pages fit a 375 px phone and a 1920 px screen', TIMEOUT, async () => {
  assert.ok(number, 'the keyboard walk made a ticket');
  const pages = [
    ['solicitante', ['/', '/requests/new?category=soporte_equipo', `/requests/${number}`, '/profile']],
    ['soporte', ['/', '/queue', `/tickets/${number}`]],
    ['tecnico', ['/mine']],
    ['director', ['/overview']],
  ];
  for (const width of [375, 1920]) {
    for (const [login, paths] of pages) {
      const { context, page } = await newPage(browser, server.url);
      try {
        await page.setViewportSize({ width, height: 900 });
        await navigating(page, () => page.goto('/login'));
        await page.locator('#login').fill(login);
        await page.locator('#password').fill(login);
        await navigating(page, () => page.locator('form[action="/login"] button[type=submit]').click());
        for (const path of paths) {
          const response = await navigating(page, () => page.goto(path));
          assert.equal(response.status(), 200, `${login} ${path}`);
          const o = await overflow(page);
          assert.ok(o.scroll <= o.width, `${path} at ${width} px scrolls sideways (${o.scroll} > ${o.width}): ${o.wide.join(', ')}`);
          const name = `${width}px-${login}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
          await screenshot(page, name.slice(0, 60));
        }
      } finally {
        await context.close();
      }
    }
  }
});

test('shortcuts: "?" lists them, "g q" opens the queue, "j" and Enter open a row, "/" searches, and they switch off', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await navigating(page, () => page.goto('/login'));
    await page.locator('#login').fill('soporte');
    await page.locator('#password').fill('soporte');
    await navigating(page, () => page.locator('form[action="/login"] button[type=submit]').click());
    const help = page.locator('#shortcuts-help');
    await page.keyboard.press('?');
    assert.ok(await help.isVisible(), '"?" opens the list');
    assert.ok((await help.textContent()).includes('Cola de entrada'), 'it names the pages this person has');
    await screenshot(page, 'shortcuts-help');
    await page.keyboard.press('Escape');
    assert.equal(await help.isVisible(), false, 'Escape closes it');

    await navigating(page, () => page.keyboard.press('g').then(() => page.keyboard.press('q')));
    assert.equal(new URL(page.url()).pathname, '/queue', '"g q": the queue');
    await navigating(page, () => page.keyboard.press('g').then(() => page.keyboard.press('t')));
    assert.equal(new URL(page.url()).pathname, '/', '"g t": the tickets');

    await page.keyboard.press('j');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.match(first ?? '', /^\/tickets\/\d+$/, '"j": the first row');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), first, '"k": back');
    await navigating(page, () => page.keyboard.press('Enter'));
    assert.equal(new URL(page.url()).pathname, first, 'Enter opens it');
    await page.keyboard.press('c');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment-body', '"c": the comment box');
    await page.keyboard.type('sin atajos aquí: g q');
    assert.equal(new URL(page.url()).pathname, first, 'typing in a field is only typing');

    await navigating(page, () => page.goto('/'));
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'filter-q', '"/": the search');

    // Switched off, one-key shortcuts do nothing, here and on the next page.
    await page.locator('h1').click();
    await page.keyboard.press('?');
    await page.locator('#shortcuts-off').check();
    await page.keyboard.press('Escape');
    await navigating(page, () => page.reload());
    await page.keyboard.press('?');
    assert.equal(await help.isVisible(), false, 'off: "?" does nothing');
  } finally {
    await context.close();
  }
});
