// SAU on a 390 px phone and a 1366 px screen, in both languages: the menu folds
// behind a button on the phone, the lists are cards no wider than the screen
// with the queue's "Asignar" in reach, and the ticket page puts the action its
// state calls for before the conversation; a list filter applies as soon as it
// is chosen. axe-core on every page.
//
//   cargo build -p sau && (cd e2e && node --test phone.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeLog, clearScreenshots, launchBrowser, look, navigating, signedInPage, startServer, widths } from './lib.mjs';

const TIMEOUT = { timeout: 180_000 };
const PHONE = { width: 390, height: 844 };
const SCREEN = { width: 1366, height: 768 };

let server;
let browser;
const axe = new AxeLog();

before(async () => {
  await clearScreenshots();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  console.log(axe.report());
});




for (const locale of ['es-GT', 'en-US']) {
  const lang = locale.slice(0, 2);

  test(`${lang}: the menu folds on a phone and stays open on a screen`, TIMEOUT, async () => {
    for (const [size, folded] of [[PHONE, true], [SCREEN, false]]) {
      const { context, page } = await signedInPage(browser, server.url, 'soporte', size, locale);
      try {
        const menu = page.locator('#site-menu');
        const toggle = page.locator('button.menu-toggle');
        assert.equal(await toggle.isVisible(), folded, `${size.width} px: the menu button`);
        assert.equal(await menu.isVisible(), !folded, `${size.width} px: the menu`);
        if (folded) {
          await toggle.click();
          assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
          assert.ok(await menu.isVisible(), 'the menu opens');
          assert.ok(await page.locator('#site-menu a.nav-link[href="/queue"]').isVisible());
          await look(axe, page, `${lang}-${size.width}px-menu-open`);
        }
        assert.ok(await page.locator('#site-menu a.nav-link[href="/"]').count(), 'a "Tickets" item');
      } finally {
        await context.close();
      }
    }
  });

  test(`${lang}: the lists and the queue fit a phone, with "Asignar" in reach`, TIMEOUT, async () => {
    for (const size of [PHONE, SCREEN]) {
      const { context, page } = await signedInPage(browser, server.url, 'soporte', size, locale);
      try {
        for (const path of ['/queue', '/', '/?state=all']) {
          await navigating(page, () => page.goto(path));
          const w = await widths(page);
          assert.ok(w.scroll <= w.width, `${path} at ${size.width} px is ${w.scroll} px wide`);
          await look(axe, page, `${lang}-${size.width}px-soporte-${path.replace(/[^a-z]+/g, '-')}`);
        }
        // The queue's first assign button lies inside the screen, without
        // scrolling sideways: the demo's new requests are waiting there.
        await navigating(page, () => page.goto('/queue'));
        const assign = page.locator('form[action$="/assign"] button[type=submit]').first();
        const box = await assign.boundingBox();
        assert.ok(box, 'a new request to assign');
        assert.ok(box.x >= 0 && box.x + box.width <= size.width, `"Asignar" at ${box.x}–${box.x + box.width} of ${size.width} px`);
      } finally {
        await context.close();
      }
    }
  });

  test(`${lang}: on a phone the ticket page starts with the action the state calls for`, TIMEOUT, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'tecnico', PHONE, locale);
    try {
      await navigating(page, () => page.goto('/mine'));
      // A ticket waiting for this technician to accept it (the demo has some).
      const row = page.locator('tr', { has: page.locator('.badge.state-assigned') }).first();
      const link = row.locator('a[href^="/tickets/"]').first();
      await navigating(page, () => link.click());
      const accept = page.locator('button[data-action="accept"]');
      const box = await accept.boundingBox();
      assert.ok(box, 'an accept button');
      assert.ok(box.y + box.height <= PHONE.height, `"Aceptar" at ${box.y} px, below the first screen`);
      const conversation = await page.locator('#conversation-heading').boundingBox();
      assert.ok(box.y < conversation.y, 'the action comes before the conversation');
      const w = await widths(page);
      assert.ok(w.scroll <= w.width, `the ticket page is ${w.scroll} px wide`);
      await look(axe, page, `${lang}-390px-tecnico-ticket-assigned`);
    } finally {
      await context.close();
    }
  });

  test(`${lang}: a list filter applies when chosen, in place, keeping focus`, TIMEOUT, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'soporte', SCREEN, locale);
    try {
      await navigating(page, () => page.goto('/?state=all'));
      await page.evaluate(() => { window.sauNotReloaded = true; });
      await page.locator('#ticket-list form[role="search"] details summary').click();
      const priority = page.locator('#filter-priority');
      await priority.selectOption('5');
      await page.waitForURL((url) => url.searchParams.get('priority') === '5');
      assert.equal(await page.evaluate(() => window.sauNotReloaded === true), true, 'no reload');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'filter-priority', 'focus stays on the filter');
      // The priority column, found by its heading (a dispatcher's list starts
      // with the boxes to tick; the page speaks the person's own language).
      const cells = await page.locator('#ticket-list tbody td[data-label]').evaluateAll((tds) =>
        tds.filter((td) => ['Prioridad', 'Priority'].includes(td.getAttribute('data-label')))
          .map((td) => td.textContent.trim()));
      assert.ok(cells.length, 'tickets of priority 5 are listed');
      assert.ok(cells.every((c) => c.startsWith('5')), `only priority 5: ${cells.join(', ')}`);
      await look(axe, page, `${lang}-1366px-soporte-list-filtered`);
    } finally {
      await context.close();
    }
  });
}
