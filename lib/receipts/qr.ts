import { Dec } from "../money";
import type { ReceiptDocument } from "./document";

// TEMPORARY (the rq-qr branch's payload builder replaces the body at merge).
export function paymentQr(r: ReceiptDocument): string | null {
  if (new Dec(r.figures.toPay).lte(0)) return null;
  const kopecks = new Dec(r.figures.toPay).times(100).toFixed(0);
  return `ST00012|Name=${r.payee.orgName}|PersonalAcc=${r.payee.settlementAccount}|BankName=${r.payee.bankName}|BIC=${r.payee.bic}|CorrespAcc=${r.payee.correspondentAccount}|Sum=${kopecks}|PersAcc=${r.payer.accountNumber}`;
}
