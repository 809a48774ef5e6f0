import { routerTimestamp, RouterClock } from "../clock.ts";

/** One item of a menu: its RouterOS `.id` number and its properties as RouterOS prints them. */
export interface Row {
  id: number;
  values: Record<string, string>;
}

export interface Table {
  nextId: number;
  rows: Row[];
}

export interface LogEntry {
  time: string;
  topics: string;
  message: string;
}

export interface ActiveSession {
  name: string;
  address: string;
  via: string;
  when: string;
}

/** What `--state FILE` keeps: the configuration tables, not the sessions or the log. */
export interface PersistedState {
  format: 1;
  tables: Record<string, Table>;
}

/** Told of a row that was added or changed, or removed. */
export type RowWatcher = (row: Row, removed: boolean) => void;

/** RouterOS keeps the last 1000 lines in its memory log. */
const LOG_LINES = 1000;

/** The router's data: configuration tables by menu path, the log and the logged-in sessions. */
export class RouterState {
  private readonly tables = new Map<string, Table>();
  private readonly logEntries: Row[] = [];
  private nextLogId = 1;
  private readonly activeSessions = new Map<number, ActiveSession>();
  private readonly scriptJobs = new Map<number, { script: string; started: string }>();
  private nextScriptJobId = 1;
  private nextSessionId = 1;

  /** Who is told of every change to a table's rows (`listen`, `print follow`), by menu path. */
  private readonly watchers = new Map<string, Set<RowWatcher>>();

  constructor(readonly clock: RouterClock = new RouterClock()) {}

  /** Calls `watcher` with each row of `path` that is added, changed or removed; returns the way to stop. */
  watch(path: string, watcher: RowWatcher): () => void {
    let watchers = this.watchers.get(path);
    if (!watchers) {
      watchers = new Set();
      this.watchers.set(path, watchers);
    }
    watchers.add(watcher);
    return () => watchers.delete(watcher);
  }

  /** Tells the watchers of `path` that these rows changed (`removed` when they are gone). */
  touched(path: string, rows: Iterable<Row>, removed = false): void {
    const watchers = this.watchers.get(path);
    if (!watchers || watchers.size === 0) return;
    for (const row of rows) for (const watcher of watchers) watcher(row, removed);
  }

  table(path: string): Table {
    let table = this.tables.get(path);
    if (!table) {
      table = { nextId: 1, rows: [] };
      this.tables.set(path, table);
    }
    return table;
  }

  /** Adds a row; `idSpace` names the table whose counter gives the `.id`, when it is shared. */
  insert(path: string, values: Record<string, string>, idSpace = path): Row {
    const table = this.table(path);
    const row = { id: this.table(idSpace).nextId++, values };
    table.rows.push(row);
    this.touched(path, [row]);
    return row;
  }

  /** The row of `path` whose `name` is `name` (names are unique where menus have them). */
  rowNamed(path: string, name: string): Row | undefined {
    return this.table(path).rows.find((row) => row.values.name === name);
  }

  remove(path: string, doomed: Iterable<Row>): void {
    const removed = new Set(doomed);
    const table = this.table(path);
    table.rows = table.rows.filter((row) => !removed.has(row));
    this.touched(path, removed, true);
  }

  /** Puts `moving` (in their order) in front of `before`, or last without it; rule order is what a firewall means. */
  move(path: string, moving: readonly Row[], before?: Row): void {
    const moved = new Set(moving);
    // An item moved in front of itself stays where it is.
    if (before !== undefined && moved.has(before)) return;
    const table = this.table(path);
    const staying = table.rows.filter((row) => !moved.has(row));
    const position = before === undefined ? staying.length : staying.indexOf(before);
    table.rows = [...staying.slice(0, position), ...moving, ...staying.slice(position)];
  }

  log(topics: string, message: string): void {
    this.logEntries.push({ id: this.nextLogId++, values: { time: this.timestamp(), topics, message } });
    if (this.logEntries.length > LOG_LINES) this.logEntries.shift();
  }

  get logRows(): readonly Row[] {
    return this.logEntries;
  }

  openSession(session: Omit<ActiveSession, "when">): number {
    const id = this.nextSessionId++;
    this.activeSessions.set(id, { ...session, when: this.timestamp() });
    return id;
  }

  closeSession(id: number): void {
    this.activeSessions.delete(id);
  }

  /** A stored script started running (`/system script run`); returns its job's id. */
  startScriptJob(script: string): number {
    const id = this.nextScriptJobId++;
    this.scriptJobs.set(id, { script, started: this.timestamp() });
    return id;
  }

  endScriptJob(id: number): void {
    this.scriptJobs.delete(id);
  }

  get scriptJobRows(): Row[] {
    return [...this.scriptJobs].map(([id, job]) => ({ id, values: { ...job, type: "internal" } }));
  }

  get sessionRows(): Row[] {
    return [...this.activeSessions].map(([id, session]) => ({ id, values: { ...session } }));
  }

  /** Now, by the router's clock. */
  timestamp(): string {
    return routerTimestamp(this.clock.now());
  }

  snapshot(): PersistedState {
    return { format: 1, tables: Object.fromEntries(this.tables) };
  }

  restore(persisted: PersistedState): void {
    for (const [path, table] of Object.entries(persisted.tables)) this.tables.set(path, table);
  }
}
