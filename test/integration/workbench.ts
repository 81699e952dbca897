// Drives the VS Code workbench in Chromium (playwright-core, loaded from the editor cache; the
// project does not depend on it). Only the few calls used here are typed.

import * as path from 'node:path';

export interface Locator {
  first(): Locator;
  waitFor(options?: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  filter(options: { hasText: string | RegExp }): Locator;
  count(): Promise<number>;
}

export interface Page {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: { press(keys: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  on(event: 'console' | 'pageerror', listener: (value: { text?(): string; message?: string }) => void): void;
  close(): Promise<void>;
}

export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightModule {
  chromium: { launch(options: { executablePath: string; args: string[]; headless?: boolean }): Promise<Browser> };
}

export async function launchChromium(playwrightCoreDir: string, executablePath: string): Promise<Browser> {
  const playwright = require(path.resolve(playwrightCoreDir)) as PlaywrightModule;
  return playwright.chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const VIEWPORT = { width: 1440, height: 900 };

/** Waits until the workbench has rendered (its parts exist), not merely until the page loaded. */
export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.editor').first().waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout });
}

/** Ctrl+P, type a file name, Enter; resolves once its editor tab is active. */
export async function openFile(page: Page, fileName: string, timeout = 30_000): Promise<void> {
  await page.locator('.monaco-workbench .part.editor').first().click();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ state: 'visible', timeout });
  await page.keyboard.type(fileName, { delay: 10 });
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: fileName }).first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await activeTab(page, fileName).waitFor({ state: 'visible', timeout });
}

export function activeTab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active').filter({ hasText: label }).first();
}

/** Runs a command by its palette title (F1, type, Enter). */
export async function runCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ state: 'visible', timeout });
  await page.keyboard.type(title, { delay: 10 });
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
}

/** Opens the Problems panel and returns its locator. */
export async function showProblems(page: Page, timeout = 30_000): Promise<Locator> {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel').first();
  await panel.waitFor({ state: 'visible', timeout });
  return panel;
}
