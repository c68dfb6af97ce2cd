import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Another process (or server) holds the local data folder: its database can have one writer only. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`another kb serve (pid ${pid}) is using ${dataDir}; stop it, or pass --data with another folder`);
    this.name = 'DataDirInUseError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still makes the folder taken.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Servers of this process holding a folder: a second one in the same process is refused too. */
const held = new Set<string>();

/**
 * Takes the data folder for this process with a pid file in it (`kb-serve.pid`, a name LevelDB
 * leaves alone, and gone with the folder): LevelDB,
 * under dynalite, allows one process per folder, and a second `kb serve` otherwise starts and
 * then fails on its first write with "Database is closed". A lock left by a process that no
 * longer runs (killed, crashed) is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(resolve(dataDir), 'kb-serve.pid');
  if (held.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) throw new DataDirInUseError(dataDir, pid);
      unlinkSync(file);
    }
  }
  held.add(file);
  const release = () => {
    if (!held.delete(file)) return;
    process.off('exit', release);
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing the server (an uncaught error) still frees the folder.
  process.on('exit', release);
  return release;
}
