import type { BetterAuthOptions, DBAdapter, DBTransactionAdapter, Where } from "better-auth";
import { sha256 } from "../hash.js";

type AdapterFactory = (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions>;
type Row = Record<string, unknown>;

/** The model and column Better Auth keeps its browser-session tokens in. */
const SESSION = "session";
const TOKEN = "token";

/**
 * Better Auth's database adapter, storing only the SHA-256 of each browser
 * session token, as ours do for CLI tokens: a copy of the database (even with
 * the secret that signs cookies) is not a sign-in. Better Auth keeps handling
 * raw tokens: they are hashed on the way in (values written, `where` on the
 * token) and put back on the way out wherever the query named them.
 * Rows listed by user (list-sessions) carry the hash, which no cookie can use.
 */
export function hashedSessionTokens(factory: AdapterFactory): AdapterFactory {
  return (options) => wrap(factory(options));
}

function wrap<Adapter extends DBTransactionAdapter<BetterAuthOptions>>(adapter: Adapter): Adapter {
  const wrapped: DBTransactionAdapter<BetterAuthOptions> = {
    ...adapter,
    async create(args) {
      const raw = args.model === SESSION ? args.data[TOKEN as keyof typeof args.data] : undefined;
      if (typeof raw !== "string") return adapter.create(args);
      const row = await adapter.create({ ...args, data: { ...args.data, [TOKEN]: sha256(raw) } });
      return restore(row, new Map([[sha256(raw), raw]]));
    },
    async findOne(args) {
      const { where, raws } = hashedWhere(args.model, args.where);
      return restore(await adapter.findOne({ ...args, where }), raws);
    },
    async findMany(args) {
      const { where, raws } = hashedWhere(args.model, args.where);
      const rows = await adapter.findMany({ ...args, where });
      return rows.map((row) => restore(row, raws));
    },
    async update(args) {
      const { where, raws } = hashedWhere(args.model, args.where);
      return restore(await adapter.update({ ...args, where, update: hashedValues(args.model, args.update) }), raws);
    },
    async consumeOne(args) {
      const { where, raws } = hashedWhere(args.model, args.where);
      return restore(await adapter.consumeOne({ ...args, where }), raws);
    },
    async incrementOne(args) {
      const { where, raws } = hashedWhere(args.model, args.where);
      return restore(await adapter.incrementOne({ ...args, where }), raws);
    },
    count: (args) => adapter.count({ ...args, where: hashedWhere(args.model, args.where).where }),
    updateMany: (args) =>
      adapter.updateMany({
        ...args,
        where: hashedWhere(args.model, args.where).where,
        update: hashedValues(args.model, args.update),
      }),
    delete: (args) => adapter.delete({ ...args, where: hashedWhere(args.model, args.where).where }),
    deleteMany: (args) => adapter.deleteMany({ ...args, where: hashedWhere(args.model, args.where).where }),
  };
  const transaction = (adapter as Partial<DBAdapter<BetterAuthOptions>>).transaction;
  if (!transaction) return wrapped as Adapter;
  return {
    ...wrapped,
    transaction: (callback: (trx: DBTransactionAdapter<BetterAuthOptions>) => Promise<unknown>) =>
      transaction((trx) => callback(wrap(trx))),
  } as unknown as Adapter;
}

/** `where` with every session-token value hashed, and the raw token of each hash, to put back in answers. */
function hashedWhere(model: string, where: Where[] | undefined) {
  const raws = new Map<string, string>();
  if (model !== SESSION || !where) return { where, raws } as { where: Where[]; raws: Map<string, string> };
  const hashOne = (value: unknown) => {
    if (typeof value !== "string") return value;
    const hashed = sha256(value);
    raws.set(hashed, value);
    return hashed;
  };
  const hashed = where.map((clause) =>
    clause.field === TOKEN
      ? { ...clause, value: Array.isArray(clause.value) ? clause.value.map(hashOne) : hashOne(clause.value) }
      : clause,
  ) as Where[];
  return { where: hashed, raws };
}

/** Values written to a session row, its token hashed. */
function hashedValues(model: string, values: Record<string, unknown>) {
  const raw = values[TOKEN];
  return model === SESSION && typeof raw === "string" ? { ...values, [TOKEN]: sha256(raw) } : values;
}

/** An answer row with its stored hash replaced by the raw token the caller asked with. */
function restore<T>(row: T, raws: Map<string, string>): T {
  if (!row || typeof row !== "object" || raws.size === 0) return row;
  const stored = (row as Row)[TOKEN];
  const raw = typeof stored === "string" ? raws.get(stored) : undefined;
  return raw === undefined ? row : ({ ...(row as Row), [TOKEN]: raw } as T);
}
