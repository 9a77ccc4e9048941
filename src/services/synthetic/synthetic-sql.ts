/**
 * Small builders of SQL text for generating rows inside PostgreSQL (`INSERT … SELECT …
 * FROM generate_series(…)`): deterministic pseudo-random draws and weighted choices.
 * Every value put into SQL here is either a number we computed or text from our own
 * tables, and text is always quoted with `text()`.
 */

/** A SQL string literal. */
export function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL text array literal, e.g. `ARRAY['a','b']::text[]`. */
export function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(text).join(',')}]::text[]`;
}

/** A SQL uuid literal. */
export function uuid(value: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(value)) throw new Error(`Not a uuid: ${value}`);
  return `'${value}'::uuid`;
}

/** A SQL uuid array literal. */
export function uuidArray(values: readonly string[]): string {
  return `ARRAY[${values.map(uuid).join(',')}]::uuid[]`;
}

/** A finite number as SQL (refuses NaN and infinities, which would be a bug upstream). */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return String(value);
}

/**
 * Pseudo-random draws for one run: `uniform(key, salt)` is SQL for a number in [0, 1)
 * that depends only on the row's key (a bigint expression), the salt (one per attribute)
 * and the run's seed, so the same seed gives the same data and different salts give
 * independent draws. PostgreSQL's `hashint8extended` is fast and well mixed but folds its
 * input to 32 bits (low half XOR high half), so keys that differ only in their high bits
 * (row n of organisation 5 and row n of organisation 6) would draw alike: the high bits
 * are hashed first and mixed into the key.
 */
export function draws(seed: number) {
  const base = BigInt(Math.trunc(seed)) * 1_000_003n;
  return {
    uniform(key: string, salt: number): string {
      const s = base + BigInt(salt);
      const k = `(${key})::bigint`;
      return `((hashint8extended(${k} # hashint8extended(${k} >> 31, ${s}), ${s}) & 4503599627370495)::float8 / 4503599627370496.0)`;
    },
  };
}

/**
 * SQL choosing one of `items` by weight from a uniform draw `u` (an expression in [0, 1);
 * repeat it only if it is a column or a cheap expression). Values are SQL expressions.
 */
export function weightedSql(u: string, items: ReadonlyArray<readonly [string, number]>): string {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  if (items.length === 0 || total <= 0) throw new Error('A weighted choice needs positive weights.');
  if (items.length === 1) return (items[0] as readonly [string, number])[0];
  let cumulative = 0;
  const arms = items.slice(0, -1).map(([value, w]) => {
    cumulative += w;
    return `WHEN ${u} < ${num(cumulative / total)} THEN ${value}`;
  });
  return `(CASE ${arms.join(' ')} ELSE ${(items[items.length - 1] as readonly [string, number])[0]} END)`;
}

/** `weightedSql` over text values. */
export function weightedText(u: string, items: ReadonlyArray<readonly [string, number]>): string {
  return weightedSql(
    u,
    items.map(([value, w]) => [text(value), w] as const),
  );
}

/** SQL for a whole number from `min` to `max` inclusive, from a uniform draw `u`. */
export function intBetween(u: string, min: number, max: number): string {
  return `(${num(min)} + floor(${u} * ${num(max - min + 1)})::int)`;
}
