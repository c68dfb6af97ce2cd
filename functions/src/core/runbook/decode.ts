import { createHash } from 'node:crypto';
import type { InputLimits } from './limits.ts';
import type { Message } from './model.ts';

export type Decoded = { ok: true; text: string; hash: string } | { ok: false; hash: string; message: Message };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fatal(reason: string, ruleId: string, line?: number, column?: number): Message {
  return {
    severity: 'error',
    fatal: true,
    ruleId,
    reason,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  };
}

/** Position of a byte offset, for pointing at the first bad byte. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Index of the first byte where the UTF-8 decoder would fail (a sequence is invalid or cut short). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0) return i;
    try {
      utf8.decode(bytes.subarray(i, i + size));
    } catch {
      return i;
    }
    i += size;
  }
  return bytes.length;
}

/**
 * Turns a file's bytes into text, or a fatal message saying why it cannot be a runbook:
 * too large, binary (NUL bytes), not UTF-8, or empty.
 */
export function decodeRunbookBytes(bytes: Uint8Array, limits: InputLimits): Decoded {
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length > limits.maxFileBytes) {
    const reason = `File is ${bytes.length} bytes, expected at most ${limits.maxFileBytes} bytes`;
    return { ok: false, hash, message: fatal(reason, 'input-limits') };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = positionOf(bytes, nul);
    return {
      ok: false,
      hash,
      message: fatal('Unexpected NUL byte: this looks like a binary file, expected UTF-8 Markdown', 'encoding', line, column),
    };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const { line, column } = positionOf(bytes, firstInvalidUtf8(bytes));
    return {
      ok: false,
      hash,
      message: fatal('Unexpected byte sequence that is not UTF-8, expected UTF-8 Markdown', 'encoding', line, column),
    };
  }
  if (text.trim() === '') {
    return { ok: false, hash, message: fatal('Unexpected empty file, expected a runbook', 'empty-file', 1, 1) };
  }
  return { ok: true, text, hash };
}
