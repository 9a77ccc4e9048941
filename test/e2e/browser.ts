import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { buildServer, type Server } from '../../src/server.ts';
import { seedDemoWorld } from '../../src/services/demo/demo-world.service.ts';

export const DEMO_PASSWORD = 'e2e-demo-password-1';

/** The real service on a free port with the demo world on an in-memory database. */
export async function startDemoService(): Promise<{ server: Server; baseUrl: string }> {
  const config = readConfig({
    NODE_ENV: 'test',
    OHWB_DATA_DIR: 'memory://',
    OHWB_DATA_KEY: randomBytes(32).toString('base64'),
    OHWB_LOGIN_RATE_LIMIT: '1000',
    LOG_LEVEL: 'warn',
  });
  const server = await buildServer(config);
  await seedDemoWorld(server.ctx, { password: DEMO_PASSWORD });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, baseUrl: `http://127.0.0.1:${port}` };
}

/** Debian's Chromium, headless, with no background network (this machine has none). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const visited: string[] = [];

/** Runs axe on the page: no serious or critical violation is allowed. Screenshots on request. */
export async function checkAccessibility(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  visited.push(label);
  if (process.env.E2E_SCREENSHOTS) {
    const dir = process.env.E2E_SCREENSHOTS;
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({
      path: path.join(dir, `${String(visited.length).padStart(2, '0')}-${label}.png`),
      fullPage: true,
    });
  }
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `accessibility of ${label} (${page.url()})`,
  ).toEqual([]);
}

/** Signs in through the sign-in page in a fresh browser context. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext({ baseURL: baseUrl, ...(viewport ? { viewport } : {}) });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}

/**
 * The demo service and a browser for one spec file, started before its tests and
 * stopped after them. Read `baseUrl` and `browser` inside tests, not at import time.
 */
export function useDemoBrowser() {
  const state = {} as { server: Server; baseUrl: string; browser: Browser };
  beforeAll(async () => {
    Object.assign(state, await startDemoService());
    state.browser = await launchChromium();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.app.close();
  });
  return state;
}

/** A demo user's sign-in email. */
export const demoUser = (role: string, organisation: string) => `${role}@${organisation}.demo.ohwb.test`;

/** Fills the manager's referral form with the employee's consent given today, and sends it. */
export async function sendReferral(page: Page, reason: string, questions?: string): Promise<void> {
  await page.getByLabel('Why are you referring them?').fill(reason);
  if (questions)
    await page.getByLabel('What would you like occupational health to answer? (optional)').fill(questions);
  await page.getByLabel('Yes, they have agreed').check();
  const today = new Date();
  await page.getByLabel('Day').fill(String(today.getUTCDate()));
  await page.getByLabel('Month').fill(String(today.getUTCMonth() + 1));
  await page.getByLabel('Year').fill(String(today.getUTCFullYear()));
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expect
    .poll(() => page.locator('.nhsuk-notification-banner').textContent())
    .toContain('Referral sent');
}
