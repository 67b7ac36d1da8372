// SAU's procedure in a real browser: five requests, one per category, from the
// requester's form through the dispatcher's queue, the technician's work and the
// dispatcher's close (or return), with clicks counted, axe-core on every page,
// the form token and the stale-form conflict checked, and screenshots saved.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTION_TIMEOUT, AxeLog, Tally, clearScreenshots, launchBrowser, navigating, newPage,
  person, screenshot, signIn, startServer,
} from './lib.mjs';

const CATEGORIES = ['soporte_equipo', 'telefonia', 'creacion_usuario', 'reinicio_clave', 'requerimiento'];
/** The ticket whose clicks and keystrokes make the table. */
const COUNTED = 0;
/** Its priority is corrected in the queue; it is resolved remotely. */
const CORRECTED_PRIORITY = '5';
/** This one is returned with a reason; the others are closed. */
const RETURNED = 4;
const RETURN_REASON = 'Falta confirmar con el usuario que ya funciona.';

const SAMPLE = {
  numero_inventario: 'INV-2026-0042',
  ubicacion: 'Edificio central, 2.º nivel',
  anydesk_id: '987 654 321',
  extension: '2145',
  sistema: 'Correo institucional',
  nombre_completo: 'Ana Lucía Pérez',
  usuario_deseado: 'alperez',
  usuario: 'aperez',
};
/** The counted request carries an AnyDesk id; the resolve form starts with it. */
const REMOTE_ID = SAMPLE.anydesk_id;
const sampleFor = (key, type) =>
  SAMPLE[key] ?? ({ date: '2026-12-01', number: '42', email: 'ana@example.org', tel: '2222-3333', url: 'https://example.org' }[type] ?? `Dato ${key}`);

/** A scanned letter, as far as the server's content check is concerned. */
const SCANNED_LETTER = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n';

const TIMEOUT = { timeout: 180_000 };

let server;
let browser;
const tally = new Tally();
const axe = new AxeLog();
const checked = new Set();
/** One entry per request: { category, title, number, note, comment, resolution }. */
const tickets = [];
let requester, dispatcher, technician; // { context, page, who }
let technicianName;

/** Screenshot every visit; axe-check each distinct kind of page once. */
async function visit(page, label) {
  // Let go of whatever the pointer last clicked and let Bootstrap's 0.15 s colour
  // transitions finish: half-way through one, a button's colours are neither
  // state's, and axe would measure that.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  await screenshot(page, label.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  if (!checked.has(label)) {
    checked.add(label);
    await axe.check(page, label);
  }
}

/** Runs `body` with the table counting `step`, then stops counting. */
async function counted(counting, name, who, body) {
  if (counting) tally.step(name, who);
  try { return await body(); } finally { tally.pause(); }
}

before(async () => {
  await clearScreenshots();
  server = await startServer();
  browser = await launchBrowser();
  console.log(`sau at ${server.url} (pid ${server.pid}); chromium ${browser.version()}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  const t = tally.table();
  console.log(`\nClicks and keystrokes for ticket ${tickets[COUNTED]?.number ?? '?'} (${CATEGORIES[COUNTED]}):\n${t.text}`);
  const manual = [...tally.steps].filter(([name]) => /^[1-7] /.test(name)).map(([, s]) => s);
  const sum = (k) => manual.reduce((n, s) => n + s[k], 0);
  console.log(`TOTAL clicks, steps 1–7: ${sum('clicks')} (keystrokes ${sum('keys')}, typed addresses ${sum('addr')}); with the request: ${t.clicks} clicks, ${t.keys} keystrokes`);
  console.log(`\n${axe.report()}`);
});

test('sign-in pages and the three people', TIMEOUT, async () => {
  requester = await newPage(browser, server.url);
  await requester.page.goto('/login');
  await visit(requester.page, 'login');
  await signIn(requester.page, 'solicitante');
  await visit(requester.page, 'home-requester-empty');

  technician = await newPage(browser, server.url);
  await signIn(technician.page, 'tecnico');
  technicianName = (await technician.page.locator('.navbar-text strong').innerText()).trim();
  assert.ok(technicianName, 'the technician’s display name is in the navbar');

  dispatcher = await newPage(browser, server.url);
  await signIn(dispatcher.page, 'soporte');
  await visit(dispatcher.page, 'home-dispatcher');

  // The start of the day: each opens the list they work from, which then keeps
  // itself up to date (server-sent events). Marked, to tell a reload apart.
  await navigating(dispatcher.page, () => dispatcher.page.locator('a.nav-link[href="/queue"]').click());
  await navigating(technician.page, () => technician.page.locator('a.nav-link[href="/mine"]').click());
  for (const { page } of [dispatcher, technician]) await page.evaluate(() => { window.sauNotReloaded = true; });
});

/** Fails if `page` was reloaded since the mark of the first test. */
async function assertNotReloaded(page, what) {
  assert.equal(await page.evaluate(() => window.sauNotReloaded === true), true, `${what} arrived without a reload`);
}

test('the requester submits one request of each category', TIMEOUT, async () => {
  const { page } = requester;
  const me = person(page, tally);
  for (const [i, category] of CATEGORIES.entries()) {
    const title = `E2E ${i + 1}: ${category.replace('_', ' ')} no funciona`;
    await counted(i === COUNTED, 'request (5.1)', 'requester', async () => {
      await me.clickAndLoad(page.locator('a.nav-link[href="/requests/new"]'));
      if (i === 0) await visit(page, 'new-request');
      // Choosing the category brings its fields (htmx, or the page's address).
      await me.click(page.locator(`label[for="category-${category}"]`));
      const form = page.locator('#request-form');
      await form.locator(`input[name="category"][value="${category}"]`).waitFor({ state: 'attached' });
      await me.fill(form.locator('#title'), title);
      const fields = await form.locator('[id^="field-"]').evaluateAll((els) =>
        els.map((e) => ({ id: e.id, tag: e.tagName, type: e.getAttribute('type'), required: e.required })));
      assert.ok(fields.length, `${category} has its own fields`);
      // The required ones; a category without any (requerimiento) gets all of its own.
      // The counted request also gives the requester's AnyDesk id, as someone
      // asking for remote help would: the technician never has to ask for it.
      const wanted = (f) => f.required || (i === COUNTED && f.id === 'field-anydesk_id');
      const toFill = fields.some((f) => f.required) ? fields.filter(wanted) : fields;
      for (const f of toFill) {
        const el = form.locator(`#${f.id}`);
        if (f.tag === 'SELECT') {
          const value = await el.locator('option:not([value=""])').first().getAttribute('value');
          await me.select(el, value);
        } else {
          await me.fill(el, sampleFor(f.id.slice('field-'.length), f.type));
        }
      }
      await me.fill(form.locator('#description'), `Solicitud de prueba ${i + 1}.\nDesde el navegador.`);
      // A category that requires a document (requerimiento) gets the scanned letter.
      const files = form.locator('#request-files');
      if ((await files.getAttribute('aria-required')) === 'true') {
        assert.notEqual(i, COUNTED, 'the counted request attaches nothing');
        await files.setInputFiles({ name: `oficio-${i + 1}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(SCANNED_LETTER) });
      }
      if (i === 0) await visit(page, `new-request-${category}-filled`);
      await me.clickAndLoad(form.locator('button[type=submit]'));
    });
    const m = new URL(page.url()).pathname.match(/^\/requests\/(\d+)$/);
    assert.ok(m, `submitting ${category} leads to the request's page, not ${page.url()}`);
    tickets.push({ category, title, number: m[1] });
    await visit(page, i === 0 ? 'request-page-new' : `request-page-new-${category}`);
    await assert.doesNotReject(page.locator('.badge.state-new').waitFor(), 'new request shows state new');
    // Sent: the number, what happens next, and where it stands.
    const sent = await page.locator('.request-sent').innerText();
    assert.ok(sent.includes(m[1]) && /25 minutos/.test(sent), `the confirmation: ${sent}`);
    assert.equal(await page.locator('.request-progress [aria-current="step"]').innerText(), 'Recibida');
  }
  await navigating(page, () => page.goto('/'));
  for (const t of tickets) assert.ok((await page.content()).includes(t.number), `${t.number} in the requester's list`);
  await visit(page, 'home-requester');
});

test('the dispatcher assigns each one from the queue (steps 1–3)', TIMEOUT, async () => {
  const { page } = dispatcher;
  const me = person(page, tally);
  for (const [i, t] of tickets.entries()) {
    const counting = i === COUNTED;
    const form = page.locator(`form[action="/tickets/${t.number}/assign"]`);
    await counted(counting, '1 review in queue', 'dispatcher', async () => {
      // The queue is open: the request is there (it arrived live), nothing to click.
      await form.waitFor({ timeout: 5_000 });
      if (i === 0) {
        await assertNotReloaded(page, 'the new requests');
        await visit(page, 'queue');
      }
    });
    await counted(counting, '2 type & priority', 'dispatcher', async () => {
      assert.ok(await form.count(), `${t.number} is in the queue`);
      if (i === COUNTED) await me.select(form.locator(`#priority-${t.number}`), CORRECTED_PRIORITY);
    });
    await counted(counting, '3 assign', 'dispatcher', async () => {
      const select = form.locator(`#technician-${t.number}`);
      const chosen = (await select.locator('option:checked').innerText()).trim();
      if (!chosen.startsWith(technicianName)) {
        const value = await select.locator('option', { hasText: technicianName }).first().getAttribute('value');
        await me.select(select, value);
      }
      await me.clickAndLoad(form.locator('button[type=submit]'));
    });
    assert.equal(new URL(page.url()).pathname, '/queue', 'back to the queue after assigning');
    assert.equal(await page.locator(`form[action="/tickets/${t.number}/assign"]`).count(), 0, `${t.number} left the queue`);
  }
  await visit(page, 'queue-empty');
});

test('the technician accepts, notes, comments and resolves (steps 4–6)', TIMEOUT, async () => {
  const { page } = technician;
  const me = person(page, tally);
  for (const [i, t] of tickets.entries()) {
    const counting = i === COUNTED;
    t.note = `Nota interna ${i + 1}: revisar bitácora del equipo SECRETO-${t.number.slice(-4)}`;
    t.comment = `Comentario público ${i + 1}: ya estamos trabajando en su solicitud.`;
    t.resolution = `Solución ${i + 1}: se corrigió la configuración y se probó con el usuario.`;
    await counted(counting, '4 open & accept', 'technician', async () => {
      if (i === 0) {
        // "My tickets" has been open since the start: the assignments arrived live.
        await page.locator(`a[href="/tickets/${t.number}"]`).first().waitFor({ timeout: 5_000 });
        await assertNotReloaded(page, 'the assignments');
        await visit(page, 'mine');
      } else {
        await me.clickAndLoad(page.locator('a.nav-link[href="/mine"]'));
      }
      await me.clickAndLoad(page.locator(`a[href="/tickets/${t.number}"]`).first());
      if (i === 0) {
        await visit(page, 'ticket-assigned-technician');
        // The request's AnyDesk id is offered before it is needed: open and copy.
        assert.ok(await page.locator('a[data-anydesk]').isVisible(), 'Abrir en AnyDesk on arrival');
        assert.equal(await page.locator('a[data-anydesk]').getAttribute('href'), 'anydesk:987654321');
        assert.ok(await page.locator('button[data-copy]').isVisible(), 'the copy button, shown by the script');
      }
      await me.clickAndLoad(page.locator('button[data-action="accept"]'));
    });
    await page.locator('.badge.state-in_progress').first().waitFor();
    if (i === 0) await visit(page, 'ticket-in-progress-technician');
    await counted(counting, '5 note & comment', 'technician', async () => {
      await me.fill(page.locator('#comment-body'), t.note);
      // "Internal note" is the form's default visibility.
      assert.ok(await page.locator('#visibility-internal').isChecked(), 'internal is the default');
      await me.clickAndLoad(page.locator('button[data-action="comment"]'));
      await me.fill(page.locator('#comment-body'), t.comment);
      await me.click(page.locator('label[for="visibility-public"]'));
      await me.clickAndLoad(page.locator('button[data-action="comment"]'));
    });
    assert.equal(await page.locator('.entry-internal', { hasText: t.note }).count(), 1, 'the note shows as internal');
    assert.equal(await page.locator('.entry-public', { hasText: t.comment }).count(), 1, 'the comment shows as public');
    if (i === 0) await visit(page, 'ticket-commented-technician');
    await counted(counting, '6 resolve', 'technician', async () => {
      await me.fill(page.locator('#resolve-resolution'), t.resolution);
      if (i === COUNTED) {
        // Nothing to choose or type: the request's AnyDesk id set the form up.
        assert.ok(await page.locator('#mode-remote').isChecked(), 'remote attention preselected');
        assert.equal(await page.locator('#resolve-remote-tool').inputValue(), 'AnyDesk');
        assert.equal(await page.locator('#resolve-remote-id').inputValue(), REMOTE_ID);
      }
      if (i === 0) await visit(page, 'ticket-resolve-filled-technician');
      await me.clickAndLoad(page.locator('button[data-action="resolve"]'));
    });
    await page.locator('.badge.state-resolved').first().waitFor();
    if (i === COUNTED) {
      await visit(page, 'ticket-resolved-remote-technician');
      const attention = await page.locator('header dl').innerText();
      assert.match(attention, /AnyDesk/, 'remote tool on the ticket');
      assert.ok(attention.includes(REMOTE_ID), 'remote id on the ticket');
      assert.equal(await page.locator('a[href^="anydesk:"]').count(), 1, 'an anydesk: link');
    }
  }
});

test('the dispatcher closes four and returns one with a reason, from the queue (step 7)', TIMEOUT, async () => {
  const { page } = dispatcher;
  const me = person(page, tally);
  // The dispatcher stayed on the queue after assigning: the resolved tickets
  // arrive in its "awaiting closure" list live, without a reload.
  assert.equal(new URL(page.url()).pathname, '/queue');
  for (const [i, t] of tickets.entries()) {
    const close = page.locator(`form[action="/tickets/${t.number}/close"] button[type=submit]`);
    await close.waitFor({ timeout: 5_000 });
    if (i === 0) await visit(page, 'queue-resolved-awaiting-closure');
    await counted(i === COUNTED, '7 close', 'dispatcher', async () => {
      if (i === RETURNED) {
        const form = page.locator(`form[action="/tickets/${t.number}/return"]`);
        await me.click(page.locator('details', { has: form }).locator('summary'));
        await me.fill(form.locator('textarea[name="reason"]'), RETURN_REASON);
        await visit(page, 'queue-return-filled');
        await me.clickAndLoad(form.locator('button[type=submit]'));
      } else {
        await me.clickAndLoad(close);
      }
    });
    assert.equal(new URL(page.url()).pathname, '/queue', 'back on the queue');
    assert.equal(await close.count(), 0, `${t.number} left the list awaiting closure`);
  }
  // What each ticket became, on its own page (not part of the count).
  for (const [i, t] of tickets.entries()) {
    await navigating(page, () => page.goto(`/tickets/${t.number}`));
    const expected = i === RETURNED ? 'in_progress' : 'closed';
    await page.locator(`h1 .badge.state-${expected}`).waitFor();
    if (i === RETURNED) {
      assert.ok((await page.content()).includes(RETURN_REASON), 'the return reason is on record');
      await visit(page, 'ticket-returned-dispatcher');
    } else if (i === 0) {
      await visit(page, 'ticket-closed-dispatcher');
    }
  }
});

test('the requester sees the resolution and never the internal note', TIMEOUT, async () => {
  const { page } = requester;
  for (const [i, t] of tickets.entries()) {
    await navigating(page, () => page.goto(`/requests/${t.number}`));
    const html = await page.content();
    const text = await page.locator('main').innerText();
    assert.ok(!html.includes(t.note) && !html.includes('SECRETO-'), `${t.number}: no internal note text`);
    assert.ok(text.includes(t.comment), `${t.number}: the public comment is shown`);
    if (i === RETURNED) {
      await page.locator('.badge.state-in_progress').waitFor();
      await visit(page, 'request-page-returned');
    } else {
      await page.locator('.badge.state-closed').waitFor();
      const resolution = page.locator('section[aria-labelledby="resolution-heading"]');
      assert.equal(await resolution.count(), 1, `${t.number}: a resolution section`);
      const r = await resolution.innerText();
      assert.ok(r.includes(t.resolution), `${t.number}: the resolution text`);
      if (i === COUNTED) {
        assert.match(r, /AnyDesk/);
        assert.ok(r.includes(REMOTE_ID), 'the remote id');
        await visit(page, 'request-page-closed-remote');
      } else {
        assert.match(r, /Presencial/);
        if (i === 1) await visit(page, 'request-page-closed-in-person');
      }
    }
  }
});

test('a POST without the form token is refused with 403', TIMEOUT, async () => {
  const { page } = dispatcher;
  const t = tickets[RETURNED]; // in progress again: the dispatcher could act on it
  await navigating(page, () => page.goto(`/tickets/${t.number}`));
  const version = await page.locator('input[name="version"]').first().inputValue();
  const status = await page.evaluate(async ({ number, version }) => {
    const r = await fetch(`/tickets/${number}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ version, reason: 'forjada' }).toString(),
      redirect: 'manual',
    });
    return r.status;
  }, { number: t.number, version });
  assert.equal(status, 403, 'a forged POST gets 403');
  await navigating(page, () => page.reload());
  await page.locator('h1 .badge.state-in_progress').waitFor();
  assert.ok(!(await page.content()).includes('forjada'), 'nothing changed');
});

test('a stale form gets "cambió" and 409', TIMEOUT, async () => {
  // A sixth request, then two windows of the dispatcher on it.
  const { page: rp } = requester;
  await navigating(rp, () => rp.goto('/requests/new?category=reinicio_clave'));
  await rp.locator('#title').fill('E2E conflicto');
  await rp.locator('#field-sistema').fill('SIGES');
  await rp.locator('#field-usuario').fill('aperez');
  await rp.locator('#description').fill('Dos despachadores a la vez.');
  await navigating(rp, () => rp.locator('#request-form button[type=submit]').click());
  const number = new URL(rp.url()).pathname.split('/').pop();

  const first = dispatcher.page;
  const second = await newPage(browser, server.url);
  try {
    await signIn(second.page, 'soporte');
    await navigating(first, () => first.goto(`/tickets/${number}`));
    await navigating(second.page, () => second.page.goto(`/tickets/${number}`));
    await visit(second.page, 'ticket-new-dispatcher');
    const pick = async (page) => {
      const select = page.locator('#assign-technician');
      const value = await select.locator('option', { hasText: technicianName }).first().getAttribute('value');
      await select.selectOption(value);
    };
    await pick(first);
    const ok = await navigating(first, () => first.locator('button[data-action="assign"]').click());
    assert.ok(ok.status() < 400, `the first assignment succeeds (${ok.status()})`);
    await pick(second.page);
    const stale = await navigating(second.page, () => second.page.locator('button[data-action="assign"]').click());
    assert.equal(stale.status(), 409, 'the stale form gets 409');
    const alert = await second.page.locator('.alert').first().innerText();
    assert.match(alert, /cambió/, 'the page says the ticket changed');
    const history = second.page.locator('section[aria-labelledby="history-heading"] li');
    assert.equal(await history.count(), 2, 'submitted + one assignment: the stale form changed nothing');
    await visit(second.page, 'ticket-conflict-409');
  } finally {
    await second.context.close();
  }
});

/** Saves English as the signed-in person's language on their profile page. */
async function chooseEnglish(page) {
  await navigating(page, () => page.goto('/profile'));
  await page.locator('label[for="locale-en"]').click();
  await navigating(page, () => page.locator('form[action="/profile/language"] button[type=submit]').click());
}

test('the main pages in English, the language each person saved', TIMEOUT, async () => {
  const t = tickets[COUNTED];
  const shots = [
    ['solicitante', [['/login', 'en-login'], ['/', 'en-home-requester'], ['/requests/new?category=telefonia', 'en-new-request'], [`/requests/${t.number}`, 'en-request-page']]],
    ['soporte', [['/queue', 'en-queue'], [`/tickets/${t.number}`, 'en-ticket-dispatcher'], ['/?state=all', 'en-ticket-list']]],
    ['tecnico', [['/mine', 'en-mine'], [`/tickets/${tickets[RETURNED].number}`, 'en-ticket-technician']]],
    ['director', [['/overview', 'en-overview'], ['/profile', 'en-profile']]],
  ];
  for (const [login, pages] of shots) {
    const { context, page } = await newPage(browser, server.url, 'en-US');
    let english = false;
    try {
      for (const [i, [path, label]] of pages.entries()) {
        if (i === 0 && path === '/login') {
          await page.goto('/login');
          assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'before sign-in: the browser’s language');
          await visit(page, label);
          await signIn(page, login);
          continue;
        }
        if (i === 0) await signIn(page, login);
        if (!english) {
          await chooseEnglish(page);
          english = true;
        }
        await navigating(page, () => page.goto(path));
        assert.equal(await page.locator('html').getAttribute('lang'), 'en', `${path} in English`);
        await visit(page, label);
      }
    } finally {
      await context.close();
    }
  }
});

test('axe-core: no serious or critical violation on any page', TIMEOUT, () => {
  const blocking = axe.blocking();
  const text = blocking
    .map((v) => `${v.page} (${v.url}): [${v.impact}] ${v.id} — ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'))
    .join('\n');
  assert.ok(axe.pages.length >= 7, `axe ran on ${axe.pages.length} pages`);
  assert.equal(blocking.length, 0, `serious/critical accessibility violations:\n${text}`);
});

test('the procedure table was recorded', TIMEOUT, () => {
  assert.equal(tickets.length, CATEGORIES.length);
  for (const s of ['1 review in queue', '2 type & priority', '3 assign', '4 open & accept', '5 note & comment', '6 resolve', '7 close']) {
    assert.ok(tally.steps.has(s), `step ${s} counted`);
  }
  assert.ok(ACTION_TIMEOUT > 0);
});
