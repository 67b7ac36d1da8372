// Mail in a real browser: SAU sends through a real SMTP server (aiosmtpd,
// from PyPI, writing a Maildir); the requester opens the rating link of the
// closing mail, signed in nowhere, rates the attention, and the dispatcher
// sees the rating on the ticket.
//
//   cargo build -p sau && (cd e2e && npm ci && node --test mail.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeLog, launchBrowser, look, navigating, newPage, screenshot, signIn, startServer } from './lib.mjs';

const TIMEOUT = { timeout: 180_000 };

let server;
let browser;
let smtp;
let maildir;
const axe = new AxeLog();

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  // aiosmtpd makes the Maildir itself, only where nothing exists yet.
  maildir = path.join(await mkdtemp(path.join(tmpdir(), 'sau-e2e-mail-')), 'Maildir');
  const smtpPort = await freePort();
  smtp = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: 'ignore' });
  await waitFor(() => listening(smtpPort), 'aiosmtpd listening', 15_000);
  const port = await freePort();
  server = await startServer({
    addr: `127.0.0.1:${port}`,
    env: {
      SAU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SAU_MAIL_FROM: 'Mesa de Ayuda <sau@sau.example>',
      SAU_PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
  });
  browser = await launchBrowser();
});

/** Whether something accepts connections on `port`. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.kill();
  if (maildir) await rm(path.dirname(maildir), { recursive: true, force: true });
  console.log(`\n${axe.report()}`);
});

async function api(token, method, pathname, body) {
  const response = await fetch(`${server.url}/api/v1${pathname}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${pathname}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function login(who) {
  return (await api(null, 'POST', '/auth/login', { login: who, password: who })).token;
}

/** Every mail the SMTP server received, decoded from quoted-printable. */
async function mails() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let names = [];
    try { names = await readdir(path.join(maildir, sub)); } catch { continue; }
    for (const name of names) {
      const raw = await readFile(path.join(maildir, sub, name), 'utf8');
      out.push(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    }
  }
  return out;
}

test('a requester rates a closed ticket from the link in the closing mail', TIMEOUT, async () => {
  const requester = await login('solicitante');
  const desk = await login('soporte');
  const tech = await login('tecnico');
  const ticket = await api(requester, 'POST', '/tickets', {
    category: 'soporte_equipo',
    title: 'Sin tóner en el piso 2',
    description: 'La impresora dice que no tiene tóner.',
    fields: { numero_inventario: 'INV-0042', ubicacion: 'Edificio A, piso 2' },
  });
  const n = ticket.number;
  await api(desk, 'POST', `/tickets/${n}/assign`, { technician: 'tecnico' });
  await api(tech, 'POST', `/tickets/${n}/accept`, {});
  await api(tech, 'POST', `/tickets/${n}/resolve`, { resolution: 'Tóner cambiado.', attention_mode: 'in_person' });
  await api(desk, 'POST', `/tickets/${n}/close`, {});

  const link = await waitFor(async () => {
    for (const mail of await mails()) {
      if (!mail.includes('solicitante@sau.example')) continue;
      const m = mail.match(/http:\/\/127\.0\.0\.1:\d+\/rate\/[A-Za-z0-9_]+/);
      if (m) return m[0];
    }
    return null;
  }, 'the closing mail with its rating link', 60_000);

  // Signed in nowhere: the link is all it takes.
  const { context, page } = await newPage(browser, server.url);
  const opened = await navigating(page, () => page.goto(`${link}?score=5`));
  assert.equal(opened.status(), 200);
  assert.equal(await page.locator('#score-5').isChecked(), true, 'the score clicked in the mail is chosen');
  await page.locator('label[for="score-4"]').click();
  await page.locator('#rate-comment').fill('Rápido y amable.');
  await look(axe, page, 'rate-form');
  await navigating(page, () => page.locator('#rate-form button[type=submit]').click());
  await page.locator('#rate-thanks').waitFor();
  await look(axe, page, 'rate-thanks');
  // The link works once.
  await navigating(page, () => page.goto(link));
  await page.locator('#rate-used').waitFor();
  await context.close();

  const agent = await newPage(browser, server.url);
  await signIn(agent.page, 'soporte');
  await navigating(agent.page, () => agent.page.goto(`/tickets/${n}`));
  const history = agent.page.locator('#history-heading + ol');
  await history.getByText('Calificación del solicitante').waitFor();
  assert.match(await history.innerText(), /4 de 5: Rápido y amable\./);
  await agent.context.close();
});

test('an admin rewrites a mail, previews it, saves it, and the next mail says it', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url);
  await signIn(page, 'admin');
  await navigating(page, () => page.goto('/admin/mail/templates'));
  await look(axe, page, 'mail-templates');
  await navigating(page, () => page.locator('a[href="/admin/mail/templates/received/es"]').click());
  const source = page.locator('#template-source');
  assert.match(await source.inputValue(), /Recibimos su solicitud/);
  // axe before the preview: the preview is a sandboxed document that runs no
  // script, axe's included.
  await look(axe, page, 'mail-template-editor');
  await source.fill(
    '{% block subject %}Ya tenemos su pedido: {{ title }}{% endblock %}\n'
    + '{% block text %}Hola {{ recipient }}:\n\nRegistramos «{{ title }}» con el número {{ number }}.{% endblock %}',
  );
  await page.locator('#template-preview').click();
  const preview = page.frameLocator('#mail-preview');
  await preview.locator('#preview-subject', { hasText: 'Ya tenemos su pedido' }).waitFor();
  assert.match(await preview.locator('#preview-text').innerText(), /Registramos «/);
  await screenshot(page, 'mail-template-preview');
  await navigating(page, () => page.locator('#template-save').click());
  await page.locator('#admin-notice').waitFor();
  await context.close();

  const requester = await login('solicitante');
  const ticket = await api(requester, 'POST', '/tickets', {
    category: 'soporte_equipo',
    title: 'Monitor parpadea',
    description: 'El monitor parpadea al encender.',
    fields: { numero_inventario: 'INV-0043', ubicacion: 'Edificio B' },
  });
  await waitFor(async () => (await mails()).some((m) =>
    m.includes(`[Ticket#${ticket.number}]`) && m.includes('Registramos') && m.includes('solicitante@sau.example')),
  'the receipt in the new wording', 60_000);
});
