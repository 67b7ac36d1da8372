// The desk at work, at 390 px and 1366 px in both languages: a requester says
// how to reach them on their profile; a dispatcher takes a call, finds the
// caller by a word of their department on "Nueva solicitud", files the request
// for them and sees who typed it, how it came and how to call the caller back;
// the ticket page's action area opens the form the state calls for and keeps
// the rest a click away. axe-core on every page.
//
//   cargo build -p sau && (cd e2e && node --test desk.test.mjs)
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



async function fits(page, what) {
  const w = await widths(page);
  assert.ok(w.scroll <= w.width, `${what} is ${w.scroll} px wide on a ${w.width} px window`);
}

for (const locale of ['es-GT', 'en-US']) {
  const lang = locale.slice(0, 2);

  test(`${lang}: a requester says on their profile how to reach them`, TIMEOUT, async () => {
    for (const size of [PHONE, SCREEN]) {
      const { context, page } = await signedInPage(browser, server.url, 'solicitante', size, locale);
      try {
        await navigating(page, () => page.goto('/profile'));
        await page.locator('#contact-phone').fill('llámeme');
        await navigating(page, () => page.locator('form[action="/profile/contact"] button[type=submit]').click());
        assert.equal(await page.locator('#contact-phone').getAttribute('aria-invalid'), 'true', 'a bad phone is marked');
        assert.equal(await page.locator('#contact-phone').inputValue(), 'llámeme', 'as typed');
        await look(axe, page, `${lang}-${size.width}px-profile-contact-refused`);
        await page.locator('#contact-phone').fill('+502 5512-0987');
        await page.locator('#contact-extension').fill('1001');
        await navigating(page, () => page.locator('form[action="/profile/contact"] button[type=submit]').click());
        assert.ok(await page.locator('#profile-notice').isVisible(), 'saved');
        assert.equal(await page.locator('#contact-phone').inputValue(), '+502 5512-0987');
        await fits(page, 'the profile');
      } finally {
        await context.close();
      }
    }
  });

  test(`${lang}: the desk files a phoned-in request for the caller, found by department`, TIMEOUT, async () => {
    for (const size of [PHONE, SCREEN]) {
      const { context, page } = await signedInPage(browser, server.url, 'soporte', size, locale);
      try {
        await navigating(page, () => page.goto('/requests/new?category=telefonia'));
        const requester = page.locator('#requester');
        await requester.click();
        await requester.pressSequentially('recursos', { delay: 30 });
        // The list fills in as the desk types, from the server.
        await page.locator('#people option[value="solicitante"]').waitFor({ state: 'attached' });
        await requester.fill('solicitante');
        assert.ok(await page.locator('#intake-phone').isChecked(), 'a call, unless said otherwise');
        await page.locator('#title').fill(`Llamada ${size.width}: la extensión no suena`);
        await page.locator('[name="field.extension"]').fill('4410');
        await page.locator('[name="field.tarea"]').selectOption('reparacion');
        await page.locator('#description').fill('Llamó desde el celular: su extensión no da tono.');
        await fits(page, 'the new request form');
        await look(axe, page, `${lang}-${size.width}px-new-request-for-a-caller`);
        await navigating(page, () => page.locator('#request-form button[type=submit]').click());
        assert.match(new URL(page.url()).pathname, /^\/tickets\/\d{16}$/, 'the desk lands on the ticket');
        const typedBy = await page.locator('dd.typed-by').textContent();
        assert.ok(typedBy.includes('Sergio Soporte'), typedBy);
        assert.ok(await page.locator('.requester-facts a.phone[href^="tel:"]').count(), 'the caller can be called back');
        // The dispatcher's action on a new ticket: assign, open, first.
        const primary = page.locator('.action-area .action-primary');
        assert.ok(await primary.locator('button[data-action="assign"]').isVisible(), 'assign comes first');
        const cancel = page.locator('.action-area details.action-more summary[data-open="cancel"]');
        assert.ok(await cancel.isVisible(), 'cancel waits behind a click');
        assert.equal(await page.locator('#cancel-reason').isVisible(), false, 'its form closed');
        await cancel.click();
        assert.ok(await page.locator('#cancel-reason').isVisible(), 'and opens in place');
        await fits(page, 'the ticket page');
        await look(axe, page, `${lang}-${size.width}px-ticket-typed-for-a-caller`);
      } finally {
        await context.close();
      }
    }
  });

  test(`${lang}: a dispatcher assigns ticked requests from the ticket list`, TIMEOUT, async () => {
    for (const size of [PHONE, SCREEN]) {
      const { context, page } = await signedInPage(browser, server.url, 'soporte', size, locale);
      try {
        await navigating(page, () => page.goto('/?state=new'));
        const box = page.locator('input[form="bulk-list"]').first();
        const number = (await box.getAttribute('value')).split(':')[0];
        await box.check();
        await page.locator('#bulk-technician').selectOption('tecnico');
        await fits(page, 'the list with its bulk form');
        await navigating(page, () => page.locator('#bulk-list button[value="assign"]').click());
        const url = new URL(page.url());
        assert.equal(url.pathname, '/', 'back on the list');
        assert.equal(url.searchParams.get('state'), 'new', 'as it was filtered');
        assert.ok(await page.locator('#bulk-notice').isVisible(), 'says what was done');
        assert.equal(await page.locator(`input[form="bulk-list"][value^="${number}:"]`).count(), 0, 'no longer new');
        await look(axe, page, `${lang}-${size.width}px-list-bulk-assigned`);
      } finally {
        await context.close();
      }
    }
  });

  test(`${lang}: a dispatcher keeps a canned response and drops it into a comment`, TIMEOUT, async () => {
    for (const size of [PHONE, SCREEN]) {
      const { context, page } = await signedInPage(browser, server.url, 'soporte', size, locale);
      try {
        const title = `Saludo ${lang} ${size.width}`;
        const body = `Buenos días (${size.width}):\nya revisamos su solicitud.`;
        await navigating(page, () => page.goto('/responses'));
        const create = page.locator('details.canned-new');
        if ((await create.getAttribute('open')) === null) {
          await create.locator('summary').click();
        }
        await page.locator('#create-title').fill(title);
        await page.locator('#create-body').fill(body);
        await navigating(page, () => create.locator('button[type=submit]').click());
        assert.ok(await page.locator('#admin-notice').isVisible(), 'saved');
        assert.ok(await page.getByRole('heading', { name: title }).isVisible(), 'listed');
        await fits(page, 'the canned responses');
        await look(axe, page, `${lang}-${size.width}px-canned-responses`);

        await navigating(page, () => page.goto('/queue'));
        const href = await page.locator('a[href^="/tickets/"]').first().getAttribute('href');
        await navigating(page, () => page.goto(href));
        const box = page.locator('.comment-box');
        const area = box.locator('#comment-body');
        await area.fill('Hola.');
        await box.locator('details[data-canned] > summary').click();
        await box.getByRole('button', { name: title }).click();
        assert.equal(await area.inputValue(), `Hola.\n${body}`, 'dropped in after what was typed');
        assert.equal(await box.locator('details[data-canned]').getAttribute('open'), null, 'the picker closes');
        await fits(page, 'the ticket page with the picker');
        await look(axe, page, `${lang}-${size.width}px-ticket-canned-picked`);
      } finally {
        await context.close();
      }
    }
  });
}
