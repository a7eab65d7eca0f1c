// A readable name for a session's device from its User-Agent: good enough to tell one's phone
// from one's laptop, not a full parser (a library for that is large and changes monthly). Pure,
// so that the profile page names devices the way the API does.

export interface Device {
  /** "Chrome", "Firefox", "Safari", "Edge", "Opera", "Yandex Browser"…; null when unknown */
  browser: string | null;
  /** "Windows", "macOS", "iOS", "Android", "Linux", "ChromeOS"; null when unknown */
  os: string | null;
}

// Order matters: Edge, Opera and Yandex also say "Chrome", and Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/YaBrowser\//, "Yandex Browser"],
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/^curl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux|X11/, "Linux"],
];

export function parseDevice(userAgent: string | null | undefined): Device {
  const ua = userAgent ?? "";
  return {
    browser: BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null,
    os: SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null,
  };
}

/** "Chrome on Linux", "Firefox", "Android", or "Unknown device" (English, for the API). */
export function deviceLabel(userAgent: string | null | undefined): string {
  const { browser, os } = parseDevice(userAgent);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
