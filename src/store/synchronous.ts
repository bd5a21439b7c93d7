// The SQLite repositories are synchronous (better-sqlite3); the store contract is asynchronous so a
// server database (PostgreSQL) can stand behind it. Synchronous<Repo> is a contract's SQLite shape:
// the same methods returning their values directly; store.ts serves them as the contract.

/** `T` with every Promise-returning method returning its value instead. */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};
