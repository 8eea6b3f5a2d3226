/** Calendar dates as the configuration writes them: `YYYY-MM-DD` (UTC, no time). */

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** True for a real day of the Gregorian calendar written `YYYY-MM-DD` (so `2026-02-30` is not one). */
export function isCalendarDate(value: string): boolean {
  if (value.length !== 10 || value[4] !== "-" || value[7] !== "-") return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(value[i])) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
