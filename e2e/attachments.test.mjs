// Attachments in a real browser: the requester files a requerimiento with a
// scanned letter chosen in the file chooser and a photo dropped on the form,
// watches one progress bar per file fill up, and lands on the request's page
// with both listed and the photo's thumbnail shown; a technician adds an
// internal note with a file the requester never sees. axe-core on each page,
// screenshots in e2e/screenshots/attachments/.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test attachments.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AxeLog, clearScreenshots, launchBrowser, navigating, newPage, screenshot, signIn, startServer,
} from './lib.mjs';

const TIMEOUT = { timeout: 120_000 };
/** A scanned letter, as far as the server's content check is concerned. */
const LETTER = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n';
const TITLE = 'Oficio 117: solicitud de equipo';

let server;
let browser;
const axe = new AxeLog();
let number;

async function check(page, label) {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  await screenshot(page, label);
  await axe.check(page, label);
}

before(async () => {
  await clearScreenshots();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  console.log(`\n${axe.report()}`);
});

test('the requester sends a requerimiento with a chosen PDF and a dropped photo', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url);
  try {
    await signIn(page, 'solicitante');
    await navigating(page, () => page.goto('/requests/new'));
    await page.locator('label[for="category-requerimiento"]').click();
    const form = page.locator('#request-form');
    await form.locator('input[name="category"][value="requerimiento"]').waitFor({ state: 'attached' });
    await form.locator('#title').fill(TITLE);
    await form.locator('#field-referencia').fill('OF-2026-117');
    await form.locator('#description').fill('Adjunto el oficio firmado y una foto del equipo dañado.');
    const hint = await form.locator('#request-files-hint').innerText();
    assert.match(hint, /Hasta 10 archivos de 20 MiB cada uno, 50 MiB en total\. Se admiten: PDF, PNG/);

    // The letter through the file chooser.
    await form.locator('#request-files').setInputFiles({
      name: 'oficio-117.pdf', mimeType: 'application/pdf', buffer: Buffer.from(LETTER),
    });
    // The photo dropped on the zone: a real PNG drawn in the page.
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#0a58ca';
      ctx.fillRect(0, 0, 64, 48);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], 'equipo-danado.png', { type: 'image/png' }));
      const zone = document.querySelector('#request-form [data-upload-zone]');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    });
    const items = form.locator('[data-upload-list] li');
    await assert.doesNotReject(items.nth(1).waitFor(), 'both files are listed');
    assert.deepEqual(
      await items.locator('.upload-name').allInnerTexts(),
      ['oficio-117.pdf', 'equipo-danado.png'],
    );
    assert.equal(await form.locator('#request-files').evaluate((input) => input.files.length), 2);
    await check(page, 'new-request-with-files');

    // Each bar as upload.js leaves it after each progress event of the upload
    // (this listener is added after upload.js's own), reported out of the page.
    const reports = [];
    await page.exposeFunction('sauReportProgress', (bars) => { reports.push(bars); });
    await page.evaluate(() => {
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        this.upload.addEventListener('progress', () => {
          window.sauReportProgress([...document.querySelectorAll('#request-form [data-upload-list] progress')]
            .map((bar) => ({ value: bar.value, max: bar.max, hidden: bar.hidden })));
        });
        return send.call(this, body);
      };
    });
    await navigating(page, () => form.locator('button[type=submit]').click());
    const m = new URL(page.url()).pathname.match(/^\/requests\/(\d+)$/);
    assert.ok(m, `lands on the request's page, not ${page.url()}`);
    number = m[1];
    assert.ok(reports.length > 0, 'the upload reported its progress');
    const last = reports[reports.length - 1];
    assert.equal(last.length, 2, 'one progress bar per file');
    for (const bar of last) {
      assert.equal(bar.hidden, false, 'the bar shows while sending');
      assert.ok(bar.max > 1, 'each bar measures its own file');
      assert.equal(bar.value, bar.max, 'each bar reached its end');
    }

    // Both listed, the photo's thumbnail loaded from the server.
    const links = page.locator('.attachments a[download]');
    assert.deepEqual(await links.allInnerTexts(), ['oficio-117.pdf', 'equipo-danado.png']);
    const thumb = page.locator('img.attachment-thumb');
    assert.equal(await thumb.count(), 1, 'a thumbnail for the photo only');
    await thumb.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('img.attachment-thumb')?.complete);
    assert.ok(await thumb.evaluate((img) => img.naturalWidth) > 0, 'the thumbnail loaded');
    assert.equal(await thumb.evaluate((img) => img.naturalWidth), 64);
    await check(page, 'request-page-with-files');

    // At 375 px the page does not scroll sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      true,
      'no horizontal scroll at 375 px',
    );
    await screenshot(page, 'request-page-with-files-375');
    await page.setViewportSize({ width: 1280, height: 900 });
  } finally {
    await context.close();
  }
});

test('a file the server would refuse is refused at once, the typed text stays, and files come off the list by keyboard', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url);
  try {
    await signIn(page, 'solicitante');
    await navigating(page, () => page.goto(`/requests/${number}`));
    const form = page.locator(`form[action="/requests/${number}/reply"]`);
    await form.locator('#reply-body').fill('Texto que no se pierde');
    await form.locator('#reply-files').setInputFiles({
      name: 'pagina.html', mimeType: 'text/html', buffer: Buffer.from('<html></html>'),
    });
    const message = form.locator('[data-upload-message]');
    await assert.doesNotReject(page.waitForFunction(
      () => document.querySelector('[data-upload-message]')?.textContent.includes('pagina.html'),
    ));
    assert.match(await message.innerText(), /no es de un tipo admitido\. Se admiten: PDF/);
    assert.equal(await form.locator('[data-upload-list] li').count(), 0, 'the file is not kept');
    assert.equal(await form.locator('#reply-body').inputValue(), 'Texto que no se pierde');
    await check(page, 'reply-refused-file');

    // Two good files, the first removed with the keyboard alone.
    await form.locator('#reply-files').setInputFiles([
      { name: 'uno.pdf', mimeType: 'application/pdf', buffer: Buffer.from(LETTER) },
      { name: 'dos.pdf', mimeType: 'application/pdf', buffer: Buffer.from(LETTER) },
    ]);
    assert.equal(await message.innerText(), '', 'the earlier refusal is gone');
    const remove = form.getByRole('button', { name: 'Quitar uno.pdf' });
    await remove.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await form.locator('[data-upload-list] .upload-name').allInnerTexts(), ['dos.pdf']);
    assert.equal(await form.locator('#reply-files').evaluate((input) => input.files.length), 1);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Quitar dos.pdf',
      'the focus stays in the list',
    );

    // A page renamed .pdf passes the instant check by its name; the server's
    // refusal comes back in place, beside the input, with the text still typed.
    await form.locator('[data-upload-remove]').click();
    await form.locator('#reply-files').setInputFiles({
      name: 'falso.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><p>hola</p>'),
    });
    const answer = page.waitForResponse((r) => r.request().method() === 'POST');
    await form.locator('button[type=submit]').click();
    assert.equal((await answer).status(), 415);
    const error = page.locator('#reply-files-error');
    await assert.doesNotReject(error.waitFor(), 'the refusal is shown at the input');
    assert.match(await error.innerText(), /«falso\.pdf» no es de un tipo admitido/);
    assert.match(await page.locator('#reply-files-again').innerText(), /elíjalos de nuevo/);
    assert.equal(await page.locator('#reply-body').inputValue(), 'Texto que no se pierde');
    assert.equal(new URL(page.url()).pathname, `/requests/${number}`);
    await check(page, 'reply-refused-by-server');
  } finally {
    await context.close();
  }
});

test('a technician adds an internal note with a file; the requester does not see it', TIMEOUT, async () => {
  const dispatcher = await newPage(browser, server.url);
  const technician = await newPage(browser, server.url);
  const requester = await newPage(browser, server.url);
  try {
    // The dispatcher assigns it to the technician, who accepts it.
    await signIn(dispatcher.page, 'soporte');
    await navigating(dispatcher.page, () => dispatcher.page.goto(`/tickets/${number}`));
    await navigating(dispatcher.page, () => dispatcher.page.locator('button[data-action="assign"]').click());
    await signIn(technician.page, 'tecnico');
    await navigating(technician.page, () => technician.page.goto(`/tickets/${number}`));
    const { page } = technician;
    if (await page.locator('button[data-action="accept"]').count()) {
      await navigating(page, () => page.locator('button[data-action="accept"]').click());
    }
    await page.locator('#comment-body').fill('Cotización del proveedor, solo para soporte.');
    await page.locator('#comment-files').setInputFiles({
      name: 'cotizacion-interna.pdf', mimeType: 'application/pdf', buffer: Buffer.from(LETTER),
    });
    await check(page, 'ticket-comment-with-file');
    await navigating(page, () => page.locator('button[data-action="comment"]').click());
    const note = page.locator('.entry-internal', { hasText: 'Cotización del proveedor' });
    // The same address before and after: wait for the new page's note.
    await assert.doesNotReject(note.waitFor(), 'the note is listed');
    assert.equal(await note.count(), 1);
    assert.deepEqual(await note.locator('.attachments a[download]').allInnerTexts(), ['cotizacion-interna.pdf']);
    const href = await note.locator('.attachments a[download]').getAttribute('href');
    await check(page, 'ticket-with-internal-file');

    await signIn(requester.page, 'solicitante');
    await navigating(requester.page, () => requester.page.goto(`/requests/${number}`));
    const text = await requester.page.locator('main').innerText();
    assert.ok(!text.includes('cotizacion-interna.pdf'), 'the internal file is not listed');
    assert.ok(!text.includes('Cotización del proveedor'), 'nor the note');
    const response = await requester.page.request.get(href);
    assert.equal(response.status(), 404, 'nor served');
    await check(requester.page, 'request-page-without-internal-file');
  } finally {
    for (const p of [dispatcher, technician, requester]) await p.context.close();
  }
});

test('axe-core: no serious or critical violation on the pages with files', TIMEOUT, () => {
  const blocking = axe.blocking();
  const text = blocking
    .map((v) => `${v.page}: [${v.impact}] ${v.id} — ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'))
    .join('\n');
  assert.ok(axe.pages.length >= 5, `axe ran on ${axe.pages.length} pages`);
  assert.equal(blocking.length, 0, `serious/critical accessibility violations:\n${text}`);
});
