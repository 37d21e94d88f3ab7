import type { RowSource } from './exports.rows.js';
import type { ExportFormat } from './exports.schemas.js';

/** Characters a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
 * prefixed with `'`, so opening an export never runs what a contact typed; numbers are written
 * as they are. Objects and arrays are written as JSON; null as an empty field.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The first line of a file in this format ('' for NDJSON, which has none). */
export function headerOf(format: ExportFormat, source: Pick<RowSource, 'columns'>): string {
  return format === 'csv' ? `${source.columns.map(([h]) => csvField(h)).join(',')}\r\n` : '';
}

/** A page of presented rows as the file's text: one JSON object a line, or one CSV record a line. */
export function encodeRows(format: ExportFormat, source: Pick<RowSource, 'columns'>, rows: Array<Record<string, unknown>>): string {
  let out = '';
  if (format === 'ndjson') {
    for (const row of rows) out += `${JSON.stringify(row)}\n`;
    return out;
  }
  for (const row of rows) out += `${source.columns.map(([, value]) => csvField(value(row))).join(',')}\r\n`;
  return out;
}

/** How a finished file is served. */
export function contentTypeOf(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}
