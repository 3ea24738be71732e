/**
 * dynalite, the DynamoDB emulator of the local runtime and of the tests, created with its items stored as strings.
 *
 * dynalite keeps its in-memory tables in memory-level, whose default store encoding is Buffers. Each small key and
 * value is then a slice of Node's 8 KB buffer pool, and one live slice keeps its whole slab: a long lifecycle held
 * about 8 KB of slabs per item for a few hundred bytes of data (50 MB for 300 invoices). Stored as strings, the same
 * items take their own size and skip a Buffer round trip per read and write. The order of keys does not change:
 * dynalite writes them in hexadecimal of their UTF-8 bytes, ASCII whose string order is DynamoDB's byte order.
 * A data directory (`path`) is LevelDB on disk, which the string storage does not touch.
 *
 * It also closes the iterators of queries and scans, in memory and on disk. dynalite streams them and, once a stream
 * ends or is cut short (a Limit), calls the iterator's `return()` — which abstract-level's iterators do not have.
 * Each one stayed open in the database's set of resources, holding the tables as they were when its query ran, so
 * together they kept every version of every item overwritten since (on disk, a LevelDB snapshot each). A
 * 2,000-invoice lifecycle held 667 of them by day 30: 20 MB of its 44 MB of tables.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';

export interface DynaliteOptions {
  /** dynalite's own defaults keep a table CREATING (and so on) for half a second; every user here wants 0. */
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  /** A LevelDB directory (kept on disk) instead of memory. */
  path?: string;
}

const DEFAULTS: DynaliteOptions = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

type MemoryLevelClass = new (options?: Record<string, unknown>) => object;

const require = createRequire(import.meta.url);

/** `require` as dynalite resolves modules, or as the module reached through `path` (e.g. `level`, `classic-level`) does. */
function requireFromDynalite(...path: string[]): NodeJS.Require {
  let from = createRequire(require.resolve('dynalite'));
  for (const name of path) from = createRequire(from.resolve(name));
  return from;
}

/** Done before dynalite is first loaded, on the very module object its own `require` returns. */
function storeItemsAsStrings(): void {
  const fromDynalite = requireFromDynalite();
  const memoryLevel = fromDynalite('memory-level') as { MemoryLevel: MemoryLevelClass & { storesStrings?: boolean } };
  if (memoryLevel.MemoryLevel.storesStrings) return;
  // dynalite reads MemoryLevel once, as it loads: loaded before this, it would keep Buffers without a word.
  if (require.cache[fromDynalite.resolve('./db')]) throw new Error('dynalite was loaded before createDynalite: create it with createDynalite only');
  const Original = memoryLevel.MemoryLevel;
  memoryLevel.MemoryLevel = class extends Original {
    static override storesStrings = true;
    constructor(options?: Record<string, unknown>) {
      super({ storeEncoding: 'utf8', ...options });
    }
  };
}

type IteratorPrototype = { return?: () => Promise<IteratorResult<never>>; close(): Promise<void> };

/** Gives the iterators of abstract-level, as a module of dynalite's reaches it, the `return()` dynalite calls. */
function closeIteratorsOf(...path: string[]): void {
  const { AbstractIterator } = requireFromDynalite(...path)('abstract-level') as { AbstractIterator: { prototype: object } };
  // The base of entry, key and value iterators alike (abstract-level's CommonIterator, not exported).
  const common = Object.getPrototypeOf(AbstractIterator.prototype) as IteratorPrototype;
  if (typeof common.return === 'function') return;
  Object.defineProperty(common, 'return', {
    configurable: true,
    writable: true,
    async value(this: IteratorPrototype) {
      await this.close();
      return { done: true, value: undefined };
    },
  });
}

/** A dynalite server, not yet listening. */
export function createDynalite(options: DynaliteOptions = {}): Server {
  storeItemsAsStrings();
  // In memory and on disk (LOCAL_DATA_DIR): one copy of abstract-level today, patched once, but npm may install two.
  closeIteratorsOf('memory-level');
  closeIteratorsOf('level', 'classic-level');
  // dynalite ships no types; this is the part of its API used here.
  const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;
  return dynalite({ ...DEFAULTS, ...options });
}
