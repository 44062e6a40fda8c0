import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, ftruncateSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What an in-process store keeps on disk: a snapshot of its state plus a write-ahead journal
 * of the changes since. The durability promise is PostgreSQL's with `fsync` on (as `npm start`
 * runs it): a write whose promise resolved has been fdatasync'ed and survives a crash or power
 * loss; one still in flight may be lost, never half-applied (a torn last line is dropped).
 * Writes that arrive together share one fsync (group commit).
 */
export interface Journal<TRecord> {
  /** Queues a change; `sync()` resolves once it (and everything queued before) is on disk. */
  append(record: TRecord): void;
  sync(): Promise<void>;
  /** Writes what is queued, then closes the file. */
  close(): Promise<void>;
}

export interface JournalOptions<TRecord> {
  /** `<path>.snapshot` and `<path>.journal` are the files; their directory is created. */
  path: string;
  /** Applies one record while loading (snapshot records first, then journal records, in order). */
  apply(record: TRecord): void;
  /** The current state as records that, applied to nothing, rebuild it. */
  snapshot(): Iterable<TRecord>;
  encode?: (record: TRecord) => string;
  decode?: (line: string) => TRecord;
  /** Rewrite the snapshot once the journal is this large (default 16 MiB). */
  compactBytes?: number;
}

/**
 * Loads the snapshot and journal into the store (through `apply`), compacts them into a fresh
 * snapshot (written to a temporary file, fsync'ed, renamed over the old one) and starts an
 * empty journal. Later the journal is compacted the same way whenever it outgrows `compactBytes`.
 */
export function openJournal<TRecord>(options: JournalOptions<TRecord>): Journal<TRecord> {
  const encode = options.encode ?? JSON.stringify;
  const decode = options.decode ?? ((line: string) => JSON.parse(line) as TRecord);
  const compactBytes = options.compactBytes ?? 16 * 1024 * 1024;
  const snapshotPath = `${options.path}.snapshot`;
  const journalPath = `${options.path}.journal`;
  mkdirSync(dirname(options.path), { recursive: true });

  const load = (path: string) => {
    if (!existsSync(path)) return;
    const lines = readFileSync(path, 'utf8').split('\n');
    // Only the last line can be torn (a crash mid-append); it was never acknowledged.
    const complete = lines.slice(0, -1);
    for (const line of complete) if (line) options.apply(decode(line));
  };
  load(snapshotPath);
  load(journalPath);

  const writeSnapshot = () => {
    const temporary = `${snapshotPath}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      let chunk = '';
      for (const record of options.snapshot()) {
        chunk += `${encode(record)}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, snapshotPath);
    fsyncDirectory(dirname(snapshotPath));
  };
  const compact = (journalFd: number) => {
    writeSnapshot();
    // The snapshot holds every change the journal held: it can start over.
    ftruncateSync(journalFd, 0);
    fsyncSync(journalFd);
  };

  const initialFd = openSync(journalPath, 'a', 0o600);
  compact(initialFd);
  closeSync(initialFd);

  let handle: Promise<FileHandle> | null = null;
  let queued: string[] = [];
  let written = 0;
  let closed = false;
  // Every flush runs after the previous one: one writer, appends in order.
  let chain: Promise<void> = Promise.resolve();
  let pending: Promise<void> | null = null;

  const flush = async () => {
    pending = null;
    if (queued.length === 0) return;
    const lines = queued.join('');
    queued = [];
    const file = await (handle ??= open(journalPath, 'a', 0o600));
    await file.appendFile(lines);
    await file.datasync();
    written += Buffer.byteLength(lines);
    if (written >= compactBytes) {
      compact(file.fd);
      written = 0;
    }
  };

  return {
    append(record) {
      if (closed) throw new Error(`journal ${journalPath} is closed`);
      queued.push(`${encode(record)}\n`);
    },
    sync() {
      // Writes queued in the same turn of the event loop join one flush (group commit).
      pending ??= chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(flush);
      return pending;
    },
    async close() {
      if (closed) return;
      await this.sync();
      closed = true;
      await chain;
      await (await handle)?.close();
    },
  };
}

function fsyncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
