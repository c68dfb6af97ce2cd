import { describe, expect, it } from 'vitest';
import { toUtcIso } from '../../functions/src/core/resolutions/closed-at.ts';

describe('closing times from ticket systems', () => {
  it.each([
    ['RFC 3339 in UTC', '2026-11-23T14:05:00Z', '2026-11-23T14:05:00.000Z'],
    ['an offset with a colon', '2026-11-23T14:05:00+01:00', '2026-11-23T13:05:00.000Z'],
    ["Jira's {{now}} (offset without a colon, one decimal)", '2020-08-18T02:40:37.0+0000', '2020-08-18T02:40:37.000Z'],
    ['a negative offset across midnight', '2026-11-23T20:30:00-0800', '2026-11-24T04:30:00.000Z'],
    ['nanoseconds (Zendesk events)', '2019-05-25T01:23:45.465719851Z', '2019-05-25T01:23:45.465Z'],
    ['a space for the T, no seconds, a half-hour offset', '2026-11-23 14:05+05:30', '2026-11-23T08:35:00.000Z'],
    ['29 February of a leap year', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
    ['the last instant of year 9999', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['the first instant of 1970, written east of UTC', '1970-01-01T01:00:00+01:00', '1970-01-01T00:00:00.000Z'],
  ])('reads %s', (_name, text, utc) => {
    expect(toUtcIso(text)).toBe(utc);
  });

  it.each([
    ['no time zone (ambiguous)', '2026-11-23 14:05:00'],
    ['a date alone', '2026-11-23'],
    ['29 February of a common year', '2026-02-29T10:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-11-23T24:00:00Z'],
    ['an offset beyond +14:00', '2026-11-23T14:05:00+15:00'],
    ['words', 'yesterday'],
    ['year 10000 once in UTC (stored as +010000, it would lock the ticket)', '9999-12-31T23:30:00-01:00'],
    ['before 1970 once in UTC', '1970-01-01T00:30:00+01:00'],
    ['year 0001', '0001-01-01T00:00:00Z'],
  ])('refuses %s', (_name, text) => {
    expect(toUtcIso(text)).toBeUndefined();
  });
});
