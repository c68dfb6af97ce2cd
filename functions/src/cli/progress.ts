/**
 * A one-line progress counter on a terminal; silent when stderr is a pipe or a CI log, where a
 * line per update would only add noise.
 */
export function progress(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(done, total) {
      if (!tty) return;
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
