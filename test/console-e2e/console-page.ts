// Reading and driving the console's pages by their landmarks (roles, labels, texts), as a user of
// assistive technology would: tables read as rows keyed by column header, choices made by label.

import { Locator, Page } from 'playwright-core';
import { waitFor } from '../helpers/wait';

/** The little of the DOM that readTable uses in the page (the tests compile without the DOM library). */
interface DomElement {
  readonly tagName: string;
  readonly textContent: string | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  closest(selectors: string): DomElement | null;
  getAttribute(name: string): string | null;
}

/** One data row of a table: cell text keyed by its column header (trimmed, whitespace collapsed). */
export type TableRow = Record<string, string>;

/**
 * The data rows of a table, each keyed by column header (a cell past the headers is keyed by its
 * index). The header row is the <thead>'s, or else a first row of header cells only.
 */
export function readTable(table: Locator): Promise<TableRow[]> {
  return table.evaluate((el: DomElement) => {
    const text = (e: DomElement) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
    // Only this table's own rows and cells: an expanded row may hold a table of its own.
    const cellsOf = (row: DomElement) =>
      Array.from(row.querySelectorAll('th, td, [role=columnheader], [role=rowheader], [role=cell], [role=gridcell]')).filter((c) => c.closest('tr, [role=row]') === row);
    const isHeaderCell = (c: DomElement) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader';
    let rows = Array.from(el.querySelectorAll('tr, [role=row]')).filter((r) => r.closest('table, [role=table], [role=grid]') === el);
    let headers = rows.filter((r) => r.closest('thead') !== null).flatMap(cellsOf).map(text);
    rows = rows.filter((r) => r.closest('thead') === null);
    if (headers.length === 0 && rows.length > 0 && cellsOf(rows[0]).every(isHeaderCell)) {
      headers = cellsOf(rows[0]).map(text);
      rows = rows.slice(1);
    }
    return rows
      .map((row) => cellsOf(row).map(text))
      .filter((cells) => cells.length > 0)
      .map((cells) => Object.fromEntries(cells.map((c, i) => [headers[i] ?? String(i), c])));
  });
}

/** Re-reads the table until the check holds; returns the rows it held for. */
export async function waitForTable(table: Locator, check: (rows: TableRow[]) => boolean, what: string, timeoutMs = 15_000): Promise<TableRow[]> {
  let rows: TableRow[] = [];
  try {
    await waitFor(async () => check((rows = await readTable(table))), what, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; the table last held:\n${JSON.stringify(rows, null, 1)}`);
  }
  return rows;
}

/** A row's whole text, for checks that do not depend on column names. */
export function rowText(row: TableRow): string {
  return Object.values(row).join(' | ');
}

/**
 * Picks an option of the control named `label`: a <select> by option label, or a radio group's
 * radio. By role and accessible name: a <label> wrapping a <select> also holds the option texts,
 * so getByLabel's exact match misses it.
 */
export async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  const named = { name: label, exact: true };
  const control = scope.getByRole('combobox', named).or(scope.getByRole('listbox', named)).or(scope.getByRole('radiogroup', named));
  if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption({ label: option });
  else await control.getByRole('radio', { name: option, exact: true }).check();
}

/** Waits until a toggle button reports the pressed state. */
export async function waitForPressed(button: Locator, pressed: boolean): Promise<void> {
  await waitFor(async () => (await button.getAttribute('aria-pressed')) === String(pressed), `${await button.textContent()} to be aria-pressed=${pressed}`, 10_000);
}

/** The page's main heading, waited for: every console page has exactly one <h1>. */
export async function heading(page: Page): Promise<string> {
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.waitFor();
  return (await h1.textContent())?.trim() ?? '';
}
