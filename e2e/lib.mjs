// Helpers for SAU's browser suite: the server, the browser, counting the
// procedure's clicks and keystrokes, axe-core and screenshots.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const SCREENSHOT_DIR = path.join(E2E_DIR, 'screenshots');
export const CHROMIUM = process.env.SAU_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Default wait for any single browser action or assertion, in ms. */
export const ACTION_TIMEOUT = 15_000;

// ---------------------------------------------------------------- the server

/**
 * Starts `sau serve --demo` on a free port (or `addr`) with a fresh data
 * directory and `env` added to its environment, reads the URL it prints and
 * waits for /healthz. Returns { url, stop, output }.
 */
export async function startServer({ addr = '127.0.0.1:0', env = {} } = {}) {
  const bin = path.resolve(REPO_ROOT, process.env.SAU_BIN ?? 'target/debug/sau');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sau-e2e-'));
  const child = spawn(
    bin,
    ['serve', '--demo', '--addr', addr, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // Keep draining both pipes for the server's whole life; keep a tail for errors.
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killOnExit);

  const output = () => `--- stdout\n${stdout}\n--- stderr (tail)\n${stderr}`;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sau printed no URL within 30 s\n${output()}`)), 30_000);
    child.stdout.on('data', (d) => {
      stdout = (stdout + d).slice(-20_000);
      const m = stdout.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${bin}: ${e.message}`)); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`sau exited early (code ${code}, signal ${signal})\n${output()}`));
    });
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${url}/healthz never answered\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  async function stop() {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  return { url, stop, output, pid: child.pid };
}

// --------------------------------------------------------------- the browser

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (its own cookies) in `locale`, with a page. */
export async function newPage(browser, baseURL, locale = 'es-GT') {
  const context = await browser.newContext({
    baseURL,
    locale,
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: { 'Accept-Language': locale === 'es-GT' ? 'es-GT,es;q=0.9' : 'en-US,en;q=0.9' },
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Runs `action` (which should submit a form or follow a link) and waits for the
 * resulting main-frame document to load. Returns the document's response.
 */
export async function navigating(page, action) {
  const response = page.waitForResponse((r) => {
    const q = r.request();
    // The final document: not a redirect along the way.
    return q.isNavigationRequest() && q.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400);
  });
  await action();
  const r = await response;
  // The response can arrive before the new document replaces the old one, whose
  // 'load' already fired: wait for the address to change as well.
  await page.waitForURL(r.url(), { waitUntil: 'load' });
  return r;
}

// ---------------------------------------------------- clicks and keystrokes

/**
 * Counts what a person does per step of the manual. Only counts while a step is
 * open (`step(name)`); `pause()` stops counting for work outside the table.
 * A click is one click; choosing in a <select> is two (open, pick); a fill is one
 * keystroke per character typed; following a typed address is one `addr`.
 */
export class Tally {
  constructor() {
    this.steps = new Map();
    this.current = null;
  }
  step(name, who) {
    this.current = name;
    if (!this.steps.has(name)) this.steps.set(name, { who, clicks: 0, keys: 0, fills: 0, addr: 0 });
  }
  pause() { this.current = null; }
  add(kind, n = 1) {
    if (this.current) this.steps.get(this.current)[kind] += n;
  }
  table() {
    const rows = [['step', 'who', 'clicks', 'keystrokes', 'fields', 'typed addr']];
    let clicks = 0;
    let keys = 0;
    for (const [name, s] of this.steps) {
      rows.push([name, s.who, String(s.clicks), String(s.keys), String(s.fills), String(s.addr)]);
      clicks += s.clicks;
      keys += s.keys;
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
    return { text: out.join('\n'), clicks, keys };
  }
}

/** What a person does on `page`, counted in `tally`. */
export function person(page, tally) {
  return {
    page,
    async click(locator) { tally.add('clicks'); await locator.click(); },
    async clickAndLoad(locator) { tally.add('clicks'); return navigating(page, () => locator.click()); },
    async fill(locator, text) { tally.add('keys', text.length); tally.add('fills'); await locator.fill(text); },
    async select(locator, value) { tally.add('clicks', 2); await locator.selectOption(value); },
    async go(pathname) { tally.add('addr'); return navigating(page, () => page.goto(pathname)); },
  };
}

/** Signs `login` in through /login (password = login); not counted. */
export async function signIn(page, login) {
  await page.goto('/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(login);
  await navigating(page, () => page.locator('form[action="/login"] button[type=submit]').click());
  if (new URL(page.url()).pathname !== '/') {
    throw new Error(`sign-in of ${login} ended on ${page.url()}`);
  }
}

// ------------------------------------------------------- axe and screenshots

/** Every axe result, by page label; the serious and critical ones fail the run. */
export class AxeLog {
  constructor() { this.pages = []; }
  async check(page, label) {
    const results = await new AxeBuilder({ page }).analyze();
    const entry = { label, url: page.url(), violations: results.violations, passes: results.passes.length };
    this.pages.push(entry);
    return entry;
  }
  blocking() {
    return this.pages.flatMap((p) =>
      p.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ page: p.label, url: p.url, ...v })));
  }
  report() {
    const lines = [];
    for (const p of this.pages) {
      const counts = {};
      for (const v of p.violations) counts[v.impact] = (counts[v.impact] ?? 0) + 1;
      const summary = p.violations.length
        ? Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')
        : 'no violations';
      lines.push(`axe ${p.label.padEnd(28)} ${summary} (${p.passes} rules pass)`);
      for (const v of p.violations) {
        lines.push(`    [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
        for (const n of v.nodes.slice(0, 5)) {
          lines.push(`        ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join('; ').trim()}`);
        }
        if (v.nodes.length > 5) lines.push(`        … and ${v.nodes.length - 5} more`);
      }
    }
    return lines.join('\n');
  }
}

/**
 * Each test file keeps its screenshots in its own folder, e2e/screenshots/<file>/
 * (node --test runs every file in a process of its own).
 */
const SUITE = path.basename(process.argv[1] ?? 'e2e').replace(/\.test\.mjs$/, '');
const SUITE_DIR = path.join(SCREENSHOT_DIR, SUITE);

let shotCounter = 0;
/** A full-page screenshot in e2e/screenshots/<file>/, numbered in the order taken. */
export async function screenshot(page, name) {
  await mkdir(SUITE_DIR, { recursive: true });
  shotCounter += 1;
  const file = path.join(SUITE_DIR, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A new page of `size` in `locale`, signed in as `login`; returns it and its context. */
export async function signedInPage(browser, baseURL, login, size, locale) {
  const { context, page } = await newPage(browser, baseURL, locale);
  await page.setViewportSize(size);
  await signIn(page, login);
  return { context, page };
}

/** A screenshot and axe for one page; fails on a serious or critical violation. */
export async function look(axe, page, label) {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  await screenshot(page, label);
  const entry = await axe.check(page, label);
  const blocking = entry.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(blocking.map((v) => v.id), [], `${label}: axe ${blocking.map((v) => v.help).join('; ')}`);
}

/** How far right the page reaches, against the window's width. */
export async function widths(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
}

/** Empties this test file's screenshot folder. */
export async function clearScreenshots() {
  await rm(SUITE_DIR, { recursive: true, force: true });
  await mkdir(SUITE_DIR, { recursive: true });
}
