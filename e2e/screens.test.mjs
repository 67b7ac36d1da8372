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
  ['soporte', ['/', '/?state=all', '/queue', '{ticket}', '/requests/new?category=telefonia', '/responses', '/profile']],
  ['tecnico', ['/mine', '{mine}', '/', '/profile']],
  ['director', ['/overview', '/reports', '/reports/monthly', '/queue', '/']],
  ['admin', ['/admin', '/admin/users', '/admin/users/solicitante', '/admin/departments', '/admin/queues',
    '/admin/categories', '/admin/categories/telefonia', '/admin/settings', '/admin/jobs', '/admin/mail',
    '/admin/otrs']],
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

/** A tiny real PNG: a 2×2 picture in the installation's colour. */
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOokrcFIgYIBQAYagNZoL+c/QAAAABJRU5ErkJggg==',
  'base64',
);

/** Each role's pages in the dark theme, as a device set to dark shows them. */
const DARK = [
  ['solicitante', ['/', '{request}', '/profile']],
  ['soporte', ['/queue', '{ticket}', '/responses']],
  ['tecnico', ['/mine', '{mine}']],
  ['director', ['/overview', '/reports']],
  ['admin', ['/admin/settings', '/admin/categories/telefonia']],
];

for (const lang of ['es', 'en']) test(`dark, ${lang}: the main pages of every role follow a device set to dark`, TIMEOUT, async () => {
  for (const size of SIZES) {
    for (const [login, paths] of DARK) {
      const { context, page } = await signedInPage(browser, server.url, login, size, lang === 'es' ? 'es-GT' : 'en-US');
      try {
        await setLanguage(page, lang);
        await page.emulateMedia({ colorScheme: 'dark' });
        for (const wanted of paths) {
          let path = wanted;
          if (wanted === '{request}' || wanted === '{ticket}') {
            await navigating(page, () => page.goto('/?state=all'));
            path = await firstLink(page, wanted === '{request}' ? '/requests/' : '/tickets/');
          } else if (wanted === '{mine}') {
            await navigating(page, () => page.goto('/mine'));
            path = await firstLink(page, '/tickets/');
          }
          await navigating(page, () => page.goto(path));
          const theme = await page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'));
          assert.equal(theme, 'dark', `${login} ${path}`);
          const w = await widths(page);
          assert.ok(w.scroll <= w.width, `${login} ${path} at ${size.width} px is ${w.scroll} px wide`);
          const name = `dark-${lang}-${size.width}px-${login}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
          await look(axe, page, name.slice(0, 70));
        }
        await setLanguage(page, 'es');
      } finally {
        await context.close();
      }
    }
  }
});

test('a person picks light on a dark device, and it stays on that device', TIMEOUT, async () => {
  const { context, page } = await signedInPage(browser, server.url, 'solicitante', SIZES[1], 'es-GT');
  try {
    await page.emulateMedia({ colorScheme: 'dark' });
    await navigating(page, () => page.goto('/profile'));
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-bs-theme'));
    assert.equal(await theme(), 'dark');
    assert.ok(await page.locator('#appearance-auto').isChecked(), 'automatic until chosen');
    await page.locator('#appearance-light').check();
    assert.equal(await theme(), 'light', 'at once');
    await navigating(page, () => page.goto('/'));
    assert.equal(await theme(), 'light', 'on the next page too');
    await navigating(page, () => page.goto('/profile'));
    assert.ok(await page.locator('#appearance-light').isChecked());
    await page.locator('#appearance-auto').check();
    assert.equal(await theme(), 'dark', 'back to the device');
  } finally {
    await context.close();
  }
});

test("an admin gives the installation its name, colour and logo", TIMEOUT, async () => {
  for (const size of SIZES) {
    const { context, page } = await signedInPage(browser, server.url, 'admin', size, 'es-GT');
    try {
      await navigating(page, () => page.goto('/admin/settings'));
      await page.locator('#brand-brand_name').fill('Mesa de Ayuda TI');
      await page.locator('#brand-brand_colour').fill('#7a1f3d');
      assert.equal(await page.locator('#brand-default_colour').isChecked(), false, 'a picked colour unticks SAU\'s own');
      await navigating(page, () => page.locator('#brand-form button[type=submit]').click());
      await page.locator('#logo-file').setInputFiles({ name: 'escudo.png', mimeType: 'image/png', buffer: LOGO_PNG });
      await navigating(page, () => page.locator('#logo-form button[type=submit]').click());
      assert.ok(await page.locator('#admin-notice').isVisible(), 'saved');
      assert.equal((await page.locator('.navbar-brand .brand-name').textContent()).trim(), 'Mesa de Ayuda TI');
      assert.ok(await page.locator('.navbar-brand img.brand-logo').isVisible(), 'the logo in the menu');
      const button = await page.locator('#brand-form button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(button, 'rgb(122, 31, 61)', 'buttons take the colour');
      await look(axe, page, `brand-${size.width}px-admin-settings`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await look(axe, page, `brand-dark-${size.width}px-admin-settings`);
      await page.emulateMedia({ colorScheme: 'light' });
      await setLanguage(page, 'en');
      await navigating(page, () => page.goto('/admin/settings'));
      assert.ok(await page.locator('#brand-heading').isVisible(), 'the identity form in English');
      assert.equal(await page.title(), 'Settings · Mesa de Ayuda TI');
      await look(axe, page, `brand-en-${size.width}px-admin-settings`);
      await setLanguage(page, 'es');
    } finally {
      await context.close();
    }
    for (const [locale, title] of [['es-GT', 'Iniciar sesión · Mesa de Ayuda TI'], ['en-US', 'Sign in · Mesa de Ayuda TI']]) {
      const { context: visitor, page: login } = await newPage(browser, server.url, locale);
      try {
        await login.setViewportSize(size);
        await navigating(login, () => login.goto('/login'));
        assert.ok(await login.locator('.sign-in-brand img.sign-in-logo').isVisible(), 'the logo on sign-in');
        assert.equal(await login.title(), title);
        await look(axe, login, `brand-${locale}-${size.width}px-login`);
      } finally {
        await visitor.close();
      }
    }
  }
});
