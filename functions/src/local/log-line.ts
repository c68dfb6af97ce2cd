const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// C0, DEL and C1 controls, and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Control characters (newlines included) and Unicode line separators as visible escapes: a log
 * line stays one line whatever a file name holds, so a crafted name (`x.md\n10:00:00 indexed…`)
 * cannot forge lines of its own.
 *
 * @example oneLine('l1/a\nb.md') // 'l1/a\\nb.md'
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
