import { appendFileSync } from "node:fs";
import { env } from "../env";
import { logger } from "../logger";

export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/** Development default: one console line with the phone and the message (the code). */
const consoleSender: SmsSender = {
  async send(phone, text) {
    console.log(`[sms] to ${phone}: ${text}`);
  },
};

/** Test sender: appends { phone, text } JSON lines to SMS_OUTBOX_FILE. */
function fileSender(file: string): SmsSender {
  return {
    async send(phone, text) {
      appendFileSync(file, `${JSON.stringify({ phone, text, at: new Date().toISOString() })}\n`);
    },
  };
}

let warned = false;

export function getSmsSender(): SmsSender {
  const { SMS_PROVIDER, SMS_OUTBOX_FILE, NODE_ENV } = env();
  if (SMS_PROVIDER === "file") {
    if (!SMS_OUTBOX_FILE) throw new Error("SMS_PROVIDER=file needs SMS_OUTBOX_FILE");
    return fileSender(SMS_OUTBOX_FILE);
  }
  if (NODE_ENV === "production" && !warned) {
    warned = true;
    logger.warn("SMS_PROVIDER=console in production: sign-in codes are printed to this log, so whoever reads it can sign in as anyone");
  }
  return consoleSender;
}
