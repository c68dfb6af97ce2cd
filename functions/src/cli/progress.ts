/**
 * Progress of long work on stderr. On a terminal, a counter on one line; in a pipe or a CI log,
 * where a line per update would only add noise, one line when the work starts, so nothing sits
 * silent without saying what it is doing.
 */
export function progress(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let announced = false;
  return {
    update(done, total) {
      if (!tty) {
        if (!announced) process.stderr.write(`${label} ${total} files…\n`);
        announced = true;
        return;
      }
      const now = Date.now();
      if (done !== total && now - last < 100) return;
      last = now;
      process.stderr.write(`\r${label} ${done}/${total}`);
    },
    end() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

/** One line on stderr for a step of long work whose progress cannot be counted. */
export function step(message: string): void {
  process.stderr.write(`${message}\n`);
}
