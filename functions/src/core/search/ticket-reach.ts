/**
 * Words that say a ticket is bigger than one user: "the whole 2nd floor has no network" is an
 * outage, not one laptop's Wi-Fi, whatever runbook its words match. Each signal raises the
 * recommended escalation by `raise` tiers above the requester's (see escalation.ts).
 *
 * Patterns name people or places, never "all" or "everyone" alone: "all my files are gone" is one
 * user, and "everyone in the meeting can hear me but I can't hear them" is one headset.
 * Tickets are matched lower-cased, with runs of white space as one space.
 */
export interface ReachSignal {
  /** What the signal says, for the escalation reason. */
  reach: 'several users' | 'a whole site';
  /** Tiers above the requester's the ticket should go to, at least. */
  raise: number;
  pattern: RegExp;
}

/** People, singular or plural: "all users", "every user", "12 staff". */
const PEOPLE = `(?:users?|people|staff|employees?|colleagues?|co-?workers?|agents?|students?|teachers?|nurses?|doctors?|clinicians?)`;
/** Machines count only with a determiner or a large number ("all the laptops", "12 PCs"): "on every device" is one user's. */
const MACHINES = `(?:machines|computers|laptops|desktops|pcs|devices|workstations|thin clients|printers|phones)`;
const PLACES = `(?:floors?|buildings?|offices?|sites?|branch(?:es)?|campus|departments?|dept|company|organi[sz]ation|org|wards?|schools?|warehouse|store|hq|head office|call cent(?:er|re)|wing|lab)`;
/** "the whole office suite", "all the office apps": Microsoft Office, not a place. */
const NOT_A_PLACE = `(?! ?(?:apps?|applications?|programs?|365|suite|files?|documents?|products?|updates?|install|licen[cs]es?|versions?|add-?ins?|pages?))`;
const FLOOR = String.raw`(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|ground|top|upper|lower)`;
/** What follows "everyone" when it names a fault: "everyone can't", "everybody is getting". */
const FAULT = `(?:can ?not|can'?t|cant|could ?n'?t|is unable|are unable|has no|have no|has lost|have lost|lost|is getting|are getting|gets|is having|are having|is affected|are affected|is down|are down|is locked|are locked|is seeing|are seeing|sees|keeps? getting)`;
/** What "nobody can …" is about when it is a fault rather than "nobody can help me". */
const ABLE_TO = `(?:log|sign|print|connect|access|get (?:on|in|into|to|online)|reach|open|send|receive|use|join|call|login|browse|scan|load|see the|make calls)`;

export const REACH_SIGNALS: readonly ReachSignal[] = [
  // A place: "the whole 2nd floor", "entire office", "across the site", "half the office", "site-wide".
  {
    reach: 'a whole site',
    raise: 2,
    pattern: new RegExp(
      String.raw`\b(?:(?:the )?(?:whole|entire)|all(?: of)? the|all our|across(?: the| our)?|throughout(?: the| our)?|half(?: of)? the)(?: ${FLOOR})? ${PLACES}\b${NOT_A_PLACE}`,
    ),
  },
  { reach: 'a whole site', raise: 2, pattern: new RegExp(String.raw`\b${PLACES}[- ]?wide\b`) },
  // Everyone, all users, anywhere: "all users", "every user", "all staff on the 3rd floor", "all our laptops".
  { reach: 'a whole site', raise: 2, pattern: new RegExp(String.raw`\b(?:all|every)(?: (?:the|our|of the|of our))? ${PEOPLE}\b`) },
  { reach: 'a whole site', raise: 2, pattern: new RegExp(String.raw`\ball (?:the|our|of the|of our) ${MACHINES}\b`) },
  // "everyone can't log in", "everybody on the 2nd floor is getting…"; not "everyone in the meeting can hear me".
  {
    reach: 'a whole site',
    raise: 2,
    pattern: new RegExp(String.raw`\b(?:everyone|everybody|all of us)(?: (?:here|now|today|also|too))? ${FAULT}`),
  },
  {
    reach: 'a whole site',
    raise: 2,
    pattern: new RegExp(
      String.raw`\b(?:everyone|everybody|all staff) (?:in|on|at|across) (?:the |our |this |my )?(?:${FLOOR} )?${PLACES}\b${NOT_A_PLACE}`,
    ),
  },
  {
    reach: 'a whole site',
    raise: 2,
    pattern: new RegExp(
      String.raw`\b(?:nobody|no one|noone|no-one|none of us)(?: here)?(?: (?:in|on|at|across) (?:the |our |this |my )?(?:${FLOOR} )?${PLACES})? (?:can|could|is able to|are able to)(?: ?not)? ${ABLE_TO}|\b(?:nobody|no one|noone|no-one) (?:has|have|is getting|gets) (?:any )?(?:internet|network|wi-?fi|email|mail|access|phones?|power|a connection|connectivity|dial tone|sound)\b`,
    ),
  },
  // Several: "multiple users", "several colleagues", "12 users", "my team can't", "my colleague has the same".
  {
    reach: 'several users',
    raise: 1,
    pattern: new RegExp(
      String.raw`\b(?:multiple|several|many|numerous|various|a few|a number of|lots of|a lot of|some|\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|dozens of|most(?: of the)?) ${PEOPLE}\b|\b(?:\d{2,}|dozens of|most of the) ${MACHINES}\b`,
    ),
  },
  {
    reach: 'several users',
    raise: 1,
    pattern: new RegExp(String.raw`\b(?:my|our|the) (?:whole |entire )?team(?: here| also| too)? (?:${FAULT}|all)\b`),
  },
  {
    reach: 'several users',
    raise: 1,
    pattern:
      /\b(?:(?:my |other )?colleagues?|co-?workers?|others|other people|team ?mates) (?:also|too|(?:has|have|is having|are having|gets?|sees?|is seeing|are seeing|is getting|are getting) the same|are affected|can'?t|cannot|can not)\b/,
  },
  {
    reach: 'several users',
    raise: 1,
    pattern:
      /\bsame (?:issue|problem|error) (?:for|as) (?:my |other |several |a few )?(?:colleagues?|co-?workers?|others|the team|my team)\b/,
  },
];

export interface TicketReach {
  reach: ReachSignal['reach'];
  raise: number;
  /** The words of the ticket that said so, as written (lower-cased). */
  phrase: string;
}

/**
 * The widest reach a ticket's words name, or undefined for a one-user ticket.
 *
 * @example ticketReach('Whole 2nd floor has no network, laptops get 169.254')
 * // → { reach: 'a whole site', raise: 2, phrase: 'whole 2nd floor' }
 * @example ticketReach('All my files are gone from OneDrive') // → undefined
 */
export function ticketReach(text: string, signals: readonly ReachSignal[] = REACH_SIGNALS): TicketReach | undefined {
  const normalised = text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
  let widest: TicketReach | undefined;
  for (const { reach, raise, pattern } of signals) {
    if (widest && widest.raise >= raise) continue;
    const match = pattern.exec(normalised);
    if (match) widest = { reach, raise, phrase: match[0].trim() };
  }
  return widest;
}
