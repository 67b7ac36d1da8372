// Every page of every role, at 390 px and 1366 px, in Spanish and English:
// a screenshot each (e2e/screenshots/screens/), axe-core with no serious or
// critical violation, and no page wider than the screen.
//
//   cargo build -p sau && (cd e2e && node --test screens.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeLog, clearScreenshots, launchBrowser, look, navigating, newPage, screenshot, signedInPage, startServer, widths } from './lib.mjs';

const TIMEOUT = { timeout: 600_000 };
const SIZES = [{ width: 390, height: 844 }, { width: 1366, height: 768 }];

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

/** The first link on the page whose address starts with `prefix`. */
async function firstLink(page, prefix) {
  const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute('href');
  assert.ok(href, `a link to ${prefix}…`);
  return href;
}

/** Each role's pages; `{ticket}` and `{request}` become a ticket of theirs. */
const ROLES = [
  ['solicitante', ['/', '/requests/new', '/requests/new?category=soporte_equipo', '{request}', '/profile']],
  ['soporte', ['/', '/?state=all', '/queue', '{ticket}', '/requests/new?category=telefonia', '/profile']],
  ['tecnico', ['/mine', '{mine}', '/', '/profile']],
  ['director', ['/overview', '/queue', '/']],
  ['admin', ['/admin', '/admin/users', '/admin/users/solicitante', '/admin/departments', '/admin/queues',
    '/admin/categories', '/admin/categories/telefonia', '/admin/settings', '/admin/jobs']],
];

async function setLanguage(page, lang) {
  await navigating(page, () => page.goto('/profile'));
  await page.locator(`#locale-${lang}`).check();
  await navigating(page, () => page.locator('form[action="/profile/language"] button[type=submit]').click());
}

for (const lang of ['es', 'en']) {
  test(`${lang}: every page of every role, on a phone and a screen`, TIMEOUT, async () => {
    for (const size of SIZES) {
      const { context, page } = await newPage(browser, server.url, lang === 'es' ? 'es-GT' : 'en-US');
      try {
        await page.setViewportSize(size);
        await navigating(page, () => page.goto('/login'));
        await screenshot(page, `${lang}-${size.width}px-login`);
      } finally {
        await context.close();
      }
      for (const [login, paths] of ROLES) {
        const { context, page } = await signedInPage(browser, server.url, login, size, lang === 'es' ? 'es-GT' : 'en-US');
        try {
          await setLanguage(page, lang);
          for (const wanted of paths) {
            let path = wanted;
            if (wanted === '{request}') {
              await navigating(page, () => page.goto('/?state=all'));
              path = await firstLink(page, '/requests/');
            } else if (wanted === '{ticket}') {
              await navigating(page, () => page.goto('/?state=all'));
              path = await firstLink(page, '/tickets/');
            } else if (wanted === '{mine}') {
              await navigating(page, () => page.goto('/mine'));
              path = await firstLink(page, '/tickets/');
            }
            const response = await navigating(page, () => page.goto(path));
            assert.equal(response.status(), 200, `${login} ${path}`);
            const w = await widths(page);
            assert.ok(w.scroll <= w.width, `${login} ${path} at ${size.width} px is ${w.scroll} px wide`);
            const name = `${lang}-${size.width}px-${login}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
            await look(axe, page, name.slice(0, 70));
          }
          await setLanguage(page, 'es');
        } finally {
          await context.close();
        }
      }
    }
  });
}
