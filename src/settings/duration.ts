// Reads an age such as `90m`, `2h`, `1d` or ISO 8601 `PT2H`, `P1DT12H`.
import { InputError, quote } from '../common/user-errors.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SHORT = /^(?<amount>\d+(?:\.\d+)?)\s*(?<unit>[smhd])$/i;
const ISO =
  /^P(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<m>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$/i;

export function parseDuration(text: string, inputName: string): number {
  const value = text.trim();
  const short = SHORT.exec(value);
  let ms = Number.NaN;
  if (short?.groups) {
    ms = Number(short.groups.amount) * (UNIT_MS[short.groups.unit?.toLowerCase() ?? ''] ?? Number.NaN);
  } else {
    const iso = ISO.exec(value);
    if (iso?.groups && !/T$/i.test(value) && value.length > 1) {
      ms = Object.entries(iso.groups).reduce(
        (total, [unit, amount]) => total + (amount ? Number(amount) * (UNIT_MS[unit] ?? 0) : 0),
        0,
      );
    }
  }
  if (!(ms > 0)) {
    throw new InputError(
      `${inputName} ${quote(value)} is not a duration: use a number and a unit such as 90m, 2h or 1d, or ISO 8601 such as PT2H.`,
    );
  }
  return ms;
}
