import { createStore, safeArea, storage } from '../lib/store.ts';

/**
 * The ticket the agent is working on, if they typed one: kept for the browser tab (agents work
 * one ticket at a time) so the reader's "this fixed it" is filed against it without retyping.
 */
const KEY = 'kb.ticket';
const session = safeArea('sessionStorage');

export const ticketStore = createStore<string>(storage.get(KEY, session) ?? '');

export function setTicket(ticketId: string): void {
  storage.set(KEY, ticketId, session);
  ticketStore.set(ticketId);
}

/** The contract's ticket id rule, checked before sending so the agent gets the message at once. */
export const TICKET_PATTERN = '[A-Za-z0-9][A-Za-z0-9._:\\-]*';
const ticketRe = new RegExp(`^${TICKET_PATTERN}$`);
export const isTicketId = (value: string): boolean => value.length <= 100 && ticketRe.test(value);

/** A ticket id for write-backs made without one: unique enough for one agent's clicks. */
export const generatedTicketId = (now = new Date()): string => `web-${now.getTime()}`;
