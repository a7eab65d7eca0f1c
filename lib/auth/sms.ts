import { appendFileSync } from "node:fs";
import { env } from "../env";

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

export function getSmsSender(): SmsSender {
  const { SMS_PROVIDER, SMS_OUTBOX_FILE } = env();
  if (SMS_PROVIDER === "file") {
    if (!SMS_OUTBOX_FILE) throw new Error("SMS_PROVIDER=file needs SMS_OUTBOX_FILE");
    return fileSender(SMS_OUTBOX_FILE);
  }
  return consoleSender;
}
