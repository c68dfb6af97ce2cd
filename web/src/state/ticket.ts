import { createStore, safeArea, storage } from '../lib/store.ts';

/**
 * The ticket the agent is working on, if they typed one: kept for the browser tab so the reader's
 * "this fixed it" is filed against it without retyping — but only while the agent stays on that
 * ticket. Each id is bound to the work it was used for (the subject asked about, the search
 * run); a new subject or a new search is a new ticket and clears it, so a fix is never recorded
 * against the previous ticket.
 */
const KEY = 'kb.ticket';
const session = safeArea('sessionStorage');

interface TicketState {
  id: string;
  /** The subject or query (normalised) the id belongs to; undefined until it is first used. */
  work?: string | undefined;
}

function restore(): TicketState {
  const raw = storage.get(KEY, session);
  if (!raw) return { id: '' };
  try {
    const parsed = JSON.parse(raw) as Partial<TicketState>;
    return typeof parsed.id === 'string' ? { id: parsed.id, work: typeof parsed.work === 'string' ? parsed.work : undefined } : { id: '' };
  } catch {
    return { id: '' };
  }
}

let state = restore();
/** The ticket id the fields show. */
export const ticketStore = createStore<string>(state.id);

function save(next: TicketState): void {
  state = next;
  storage.set(KEY, JSON.stringify(next), session);
  ticketStore.set(next.id);
}

/** Subjects and queries compared as an agent would: case and spacing do not make a new ticket. */
const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The agent typed a ticket id. `work` is what it is for when that is already known (the runbook
 * page's query); on the Suggest page the subject may be half typed, so it binds when asked.
 */
export function setTicket(ticketId: string, work?: string): void {
  const bound = work && normalise(work) ? normalise(work) : undefined;
  save({ id: ticketId, work: bound });
}

/**
 * The agent works on `text` (asks about a subject, runs or types a search): an id not yet bound
 * is bound to it; one bound to other work belonged to the previous ticket and is cleared.
 */
export function workOn(text: string): void {
  const work = normalise(text);
  if (!work || !state.id) return;
  if (state.work === undefined) save({ ...state, work });
  else if (state.work !== work) save({ id: '' });
}

/**
 * The agent is typing a new subject or query: an id bound to other work is cleared at once
 * (so the field empties as they type), an unbound one waits to be bound when they ask.
 */
export function editingWork(text: string): void {
  if (state.id && state.work !== undefined && state.work !== normalise(text)) save({ id: '' });
}

/** The contract's ticket id rule, checked before sending so the agent gets the message at once. */
export const TICKET_PATTERN = '[A-Za-z0-9][A-Za-z0-9._:\\-]*';
const ticketRe = new RegExp(`^${TICKET_PATTERN}$`);
export const isTicketId = (value: string): boolean => value.length <= 100 && ticketRe.test(value);

/** A ticket id for write-backs made without one: unique enough for one agent's clicks. */
export const generatedTicketId = (now = new Date()): string => `web-${now.getTime()}`;
