import { z } from "zod";

// Parsed once, lazily, so importing a module never fails at build time. Exported for
// tests/deploy.test.ts, which checks that .env.example documents every variable.
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PGPORT: z.coerce.number().int().min(1).max(65535).default(54329),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // The calendar month "now" is judged in this zone (a reading for a future month is refused).
  APP_TIMEZONE: z.string().min(1).default("Europe/Moscow"),
  // Largest accepted request body; larger ones are refused with 413.
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  // How one-time codes reach people: "console" prints them (development), "file" appends JSON
  // lines to SMS_OUTBOX_FILE (tests read the codes from there).
  SMS_PROVIDER: z.enum(["console", "file"]).default("console"),
  SMS_OUTBOX_FILE: z.string().min(1).optional(),
  // Sign-in codes the whole installation sends per hour, whatever the phone or address.
  LOGIN_CODES_PER_HOUR: z.coerce.number().int().min(1).default(1000),
  // Reverse proxies in front of the app that add to X-Forwarded-For: the client's address for
  // the per-address sign-in limits is the entry this many from the right.
  TRUSTED_PROXIES: z.coerce.number().int().min(1).max(10).default(1),
  // Session cookies carry the Secure flag when the request came over HTTPS; "true"/"false" force it.
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  // Billing: apartments per job (part) and per transaction (chunk); a pause after each chunk
  // (a test hook, so that a crash can land mid-run); how long a job may run before pg-boss
  // retries it elsewhere (it resumes from its cursor); how many times a failed, expired or
  // stopped job is retried (with backoff) before its run is marked failed.
  BILLING_PART_SIZE: z.coerce.number().int().min(1).default(5000),
  BILLING_CHUNK_SIZE: z.coerce.number().int().min(1).default(2000),
  BILLING_CHUNK_PAUSE_MS: z.coerce.number().int().min(0).default(0),
  BILLING_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(60),
  BILLING_JOB_RETRY_LIMIT: z.coerce.number().int().min(1).max(20).default(10),
  // A part's lease: the worker billing it renews it every third of this; once it has run out
  // (the worker died or lost the database), a live worker resumes the part from its cursor.
  BILLING_LEASE_SECONDS: z.coerce.number().min(1).max(300).default(10),
  // Worker: parts billed at once per process; how often pg-boss looks for jobs of dead workers;
  // how often the worker writes its heartbeat.
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  WORKER_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().positive().default(10),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= envSchema.parse(process.env);
  return cached;
}
