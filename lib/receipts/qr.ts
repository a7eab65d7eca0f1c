import type { ReceiptDocument } from "./document";
import { buildQrPayload, paymentPurpose, QrPayloadError, splitOwnerName, type QrPayloadInput } from "./qr-payload";

/**
 * The payment document's QR code (ГОСТ Р 56042-2014, lib/receipts/qr-payload.ts): the payee and
 * its bank, the total to pay in kopecks, the purpose, the account number, the payer's address and
 * name when it reads as «Фамилия Имя Отчество», the month, and TechCode 02 (housing and
 * utilities). The sum is left out when nothing is to be paid (the app then asks for one). An
 * account number a bank would not take as PersAcc (a space in it) stays in the purpose only.
 */
export function paymentQr(r: ReceiptDocument): string {
  const input: QrPayloadInput = {
    name: r.payee.orgName,
    personalAcc: r.payee.settlementAccount,
    bankName: r.payee.bankName,
    bic: r.payee.bic,
    correspAcc: r.payee.correspondentAccount,
    payeeInn: r.payee.inn,
    kpp: r.payee.kpp || undefined,
    sum: r.figures.toPay,
    purpose: paymentPurpose(r.period, r.payer.accountNumber),
    persAcc: r.payer.accountNumber,
    payerAddress: r.payer.address,
    period: r.period,
    ...(splitOwnerName(r.payer.ownerName) ?? {}),
  };
  try {
    return buildQrPayload(input);
  } catch (error) {
    if (error instanceof QrPayloadError && error.field === "PersAcc") return buildQrPayload({ ...input, persAcc: undefined });
    throw error;
  }
}
