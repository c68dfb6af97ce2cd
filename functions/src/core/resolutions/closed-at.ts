/**
 * A date-time with its zone, as ticket systems write one: ISO 8601 / RFC 3339 with `Z` or an
 * offset, the offset with or without its colon (Jira's `{{now}}` renders
 * `2026-11-23T14:05:00.0+0000`), a `T` or a space between date and time, and any fraction of a
 * second (Zendesk sends nanoseconds). A time without a zone is refused: it is ambiguous.
 */
const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/** Closing times are compared as text, which holds for four-digit years only; none are before Unix time. */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) => (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));

/**
 * The instant as `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined when the text is not a valid zoned
 * date-time. Stored in this one form, closing times sort and compare as text.
 *
 * @example toUtcIso('2026-11-23T14:05:00.0+0100') // '2026-11-23T13:05:00.000Z'
 */
export function toUtcIso(text: string): string | undefined {
  const m = ZONED.exec(text.trim());
  if (!m) return undefined;
  const part = (i: number) => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)] as const;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const [offsetHours, offsetMinutes] = [part(10), part(11)] as const;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return undefined;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  const sign = m[9] === '-' ? -1 : 1;
  const utc = new Date(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  // Only years 1970–9999 once in UTC: `9999-12-31T23:30-01:00` is year 10000 in UTC, which
  // toISOString writes as `+010000-…`, a text that sorts before every real date and so would
  // lock the ticket against every later write.
  if (utc.getUTCFullYear() < MIN_YEAR || utc.getUTCFullYear() > MAX_YEAR) return undefined;
  return utc.toISOString();
}
