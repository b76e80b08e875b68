/** Option value parsers: a bad value is a usage error (exit 2) with commander's one line. */
import { InvalidArgumentError } from 'commander';

/** Repeatable option: `--cert a --cert b` → ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** A short name from `names`, or a URI passed through (the XML core decides if it is allowed). */
export function nameOrUri(names: Record<string, string>): (value: string) => string {
  return (value) => {
    if (Object.hasOwn(names, value)) return names[value]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
    throw new InvalidArgumentError(`expected one of ${Object.keys(names).join(', ')} or a URI`);
  };
}
