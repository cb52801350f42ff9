import { existsSync } from 'node:fs';
import type { AccountReport } from '../../core/report/summary';
import { escapeHtml as h, when } from '../../core/report/text';
import { CliError } from '../errors';

/**
 * `report --format pdf`: the HTML report printed by the system's Chromium, driven by
 * playwright-core (which never downloads a browser of its own). Every page carries the report's
 * header and its page number.
 */

/** Where Chromium (or Chrome) usually is; CHROMIUM_PATH names another. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The browser to print with, or a one-line error saying where it was looked for. */
export function findChromium(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): string {
  const asked = env.CHROMIUM_PATH;
  if (asked) {
    if (exists(asked)) return asked;
    throw new CliError(
      `--format pdf: CHROMIUM_PATH=${asked} does not exist; point it at a Chromium or Chrome executable`,
    );
  }
  const found = CHROMIUM_CANDIDATES.find((path) => exists(path));
  if (found) return found;
  throw new CliError(
    `--format pdf needs Chromium and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}): install it (e.g. apt-get install chromium) or set CHROMIUM_PATH`,
  );
}

/** The header on every page: what the report is of, in the page's own small print. */
export function pageHeader(report: AccountReport): string {
  const scope = [report.accounts.join(', ') || 'account not named', report.regions.join(', ')].join(' · ');
  return `<div style="font-size:8px;width:100%;padding:0 12mm;color:#57606a;display:flex;justify-content:space-between;"><span>EKS endpoint exposure report · ${h(when(report.period.since))} to ${h(when(report.period.until))}</span><span>${h(scope)}</span></div>`;
}

export const PAGE_FOOTER =
  '<div style="font-size:8px;width:100%;text-align:center;color:#57606a;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

export async function printPdf(
  html: string,
  out: string,
  report: AccountReport,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const executablePath = findChromium(env);
  // Loaded only here: every other command and format runs without it.
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // The report loads nothing from outside: no request may leave the page while it prints.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: out,
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: pageHeader(report),
      footerTemplate: PAGE_FOOTER,
      margin: { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
