// Axis arithmetic for the hand-built sales chart (no chart library: a bar chart is a few rects and labels,
// not worth 50+ kB of someone else's code on a page that must load fast).

// A "nice" axis top and step for values up to `max` (1, 2, 2.5 or 5 times a power of ten), in `ticks` steps.
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return { top: step * ticks, step };
}

// "2026-12-03" is a store-local day: read it as a calendar date, never through UTC.
export function dayOf(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d);
}

const short = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const long = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

export function shortDay(iso) {
  return short.format(dayOf(iso));
}

export function longDay(iso) {
  return long.format(dayOf(iso));
}

// At most `most` evenly spread indexes out of `count` (the first and the last always among them).
export function labelled(count, most = 8) {
  if (count <= most) return new Set([...Array(count).keys()]);
  const every = Math.ceil((count - 1) / (most - 1));
  const picked = new Set([0, count - 1]);
  for (let i = 0; i < count - every / 2; i += every) picked.add(i);
  return picked;
}

// Up to two years may be asked for: beyond a quarter the bars are weeks, beyond ~13 months months.
export function granularityFor(first, last) {
  const days = Math.round((dayOf(last) - dayOf(first)) / 86400000) + 1;
  if (days > 400) return "month";
  if (days > 92) return "week";
  return "day";
}
