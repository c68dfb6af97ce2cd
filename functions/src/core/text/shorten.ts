/**
 * `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut, so a
 * step never ends mid-word ("Restart the print spooler serv"). A single word longer than `max`
 * is cut inside, as nothing else fits.
 *
 * @example
 * shorten('Restart the print spooler service', 20) // 'Restart the print…'
 */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, Math.max(1, max - 1));
  const space = room.lastIndexOf(' ');
  const cut = space > 0 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.-]+$/, '')}…`;
}
