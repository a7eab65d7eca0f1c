import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getRequisites } from "../lib/registry/requisites";
import { accountWithKey, correspondentAccountValid, innCheckDigitsValid, settlementAccountValid } from "../lib/receipts/requisites";
import { DEMO_REQUISITES } from "../scripts/lib/demo-seed";
import { api } from "./helpers/api";
import { signIn, testPerson, type TestPerson } from "./helpers/auth";
import { db, historySince, lastHistoryId } from "./helpers/db";
import { createApartment, createHouse } from "./helpers/fixtures";

// Issue 17, who bills and who pays: the organisation's requisites with their check digits, and
// the apartment's owner.

describe("INN check digits", () => {
  it.each([
    // ПАО Сбербанк, АО «Альфа-Банк», АО «ТБанк»: the INNs published in their requisites (ЕГРЮЛ)
    ["7707083893", true],
    ["7728168971", true],
    ["7710140679", true],
    // the demo organisation's, its check digit computed: 2·7+4·7+10·0+3·4+5·1+9·2+4·3+6·4+8·5 = 153; 153 mod 11 = 10; mod 10 = 0
    ["7704123450", true],
    // an individual's (12 digits), the example INN of many tax guides; both check digits hold
    ["500100732259", true],
    // one digit off: the check digit no longer matches
    ["7707083894", false],
    ["7707083883", false],
    ["500100732258", false],
    ["500100732269", false],
    // neither 10 nor 12 digits
    ["77070838931", false],
  ])("%s → %s", (inn, valid) => {
    expect(innCheckDigitsValid(inn)).toBe(valid);
  });
});

describe("account keys against the BIC (Положение Банка России № 579-П)", () => {
  it.each([
    // correspondent accounts as the banks publish them with their BICs
    ["30101810400000000225", "044525225", true], // ПАО Сбербанк, Москва
    ["30101810200000000593", "044525593", true], // АО «Альфа-Банк»
    ["30101810145250000974", "044525974", true], // АО «ТБанк»
    ["30101810700000000187", "044525187", true], // Банк ВТБ (ПАО)
    // a digit changed; another bank's BIC of the same region (the same key prefix: its last 3 digits tell); not 301…
    ["30101810400000000226", "044525225", false],
    ["30101810400000000225", "044525593", false],
    ["40702810200000012345", "044525225", false],
  ])("correspondent %s with %s → %s", (account, bic, valid) => {
    expect(correspondentAccountValid(account, bic)).toBe(valid);
  });

  it.each([
    // the example of open-condo-software/condo's bank account validator (a BIC of test data)
    ["50286516400000008106", "823397286", true],
    // the demo organisation's (its key computed below)
    ["40702810200000012345", "044525225", true],
    // the same account in another bank, and a digit off
    ["40702810200000012345", "044525593", false],
    ["40702810200000012346", "044525225", false],
    ["40702810300000012345", "044525225", false],
  ])("settlement %s with %s → %s", (account, bic, valid) => {
    expect(settlementAccountValid(account, bic)).toBe(valid);
  });

  it("computes the key of the 9th digit; an account in a Bank of Russia division keys with 0 and the BIC's 5th–6th digits", () => {
    // 225 + 40702810?00000012345 with weights 7,1,3…: the key that makes the sum ≡ 0 (mod 10) is 2
    expect(accountWithKey("40702810000000012345", "044525225")).toBe("40702810200000012345");
    // BIC 044525000 is a division of the Bank of Russia: its accounts key with "025", not "000"
    const inDivision = accountWithKey("40702810000000000001", "044525000");
    expect(settlementAccountValid(inDivision, "044525000")).toBe(true);
    expect(accountWithKey("40702810000000000001", "044525000")).toBe(accountWithKey("40702810000000000001", "044525225", true));
  });
});

// ---- the API ----

const VALID = {
  org_name: "ООО «УК Проба»",
  inn: "7704123450",
  kpp: "770401001",
  org_address: "119002, г. Москва, ул. Арбат, д. 1",
  org_phone: "+7 495 000-00-00",
  org_email: "info@uk-proba.example",
  org_site: "uk-proba.example",
  settlement_account: "40702810200000012345",
  bank_name: "ПАО Сбербанк",
  bic: "044525225",
  correspondent_account: "30101810400000000225",
};

const url = (who: TestPerson) => `/api/workspaces/${who.workspaceId}/requisites`;

async function storedRow(workspaceId: number) {
  const {
    rows: [row],
  } = await db().execute(sql`select org_name, inn, kpp, org_address, org_phone, org_email, org_site, settlement_account, bank_name, bic,
    correspondent_account from workspace where id = ${workspaceId}`);
  return row;
}

let phones = 0;
const newPerson = () => signIn(`+7999417${String(++phones).padStart(4, "0")}`);

describe("GET and PATCH /api/workspaces/:id/requisites", () => {
  it("starts empty and incomplete, saves every field, reads them back complete, and leaves one workspace entry", async () => {
    const me = await newPerson();
    const opts = { token: me.token };
    const empty = await api("GET", url(me), undefined, opts);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      ...Object.fromEntries(Object.keys(VALID).map((k) => [k, ""])),
      complete: false,
      missing: ["org_name", "inn", "kpp", "settlement_account", "bank_name", "bic", "correspondent_account"],
    });

    const since = await lastHistoryId();
    const saved = await api("PATCH", url(me), { ...VALID, org_name: `  ${VALID.org_name} ` }, opts);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ ...VALID, complete: true, missing: [] });
    const entries = await historySince(since);
    expect(entries.map((e) => [e.entity, e.action, e.operation, e.entity_id])).toEqual([
      ["workspace", "update", "updateRequisites", String(me.workspaceId)],
    ]);
    expect(entries[0].after).toMatchObject({ inn: VALID.inn, settlement_account: VALID.settlement_account });
    expect((await api("GET", url(me), undefined, opts)).body).toEqual({ ...VALID, complete: true, missing: [] });

    // for the receipt code: the row as stored, camelCase
    expect(await getRequisites(db(), me.workspaceId)).toEqual({
      orgName: VALID.org_name,
      inn: VALID.inn,
      kpp: VALID.kpp,
      orgAddress: VALID.org_address,
      orgPhone: VALID.org_phone,
      orgEmail: VALID.org_email,
      orgSite: VALID.org_site,
      settlementAccount: VALID.settlement_account,
      bankName: VALID.bank_name,
      bic: VALID.bic,
      correspondentAccount: VALID.correspondent_account,
    });
    expect(await getRequisites(db(), 999_999)).toBeUndefined();

    // "" clears; an entrepreneur (12-digit INN) needs no KPP
    const cleared = await api("PATCH", url(me), { kpp: "", inn: "500100732259", org_site: "" }, opts);
    expect(cleared.body).toMatchObject({ kpp: "", inn: "500100732259", org_site: "", complete: true, missing: [] });
    const noKpp = await api("PATCH", url(me), { inn: "7704123450" }, opts);
    expect(noKpp.body).toMatchObject({ complete: false, missing: ["kpp"] });

    // the same values again change nothing: no entry
    const again = await lastHistoryId();
    expect((await api("PATCH", url(me), { inn: "7704123450", bic: VALID.bic }, opts)).status).toBe(200);
    expect(await historySince(again)).toEqual([]);
  });

  it("refuses a wrong check digit or form with 422 on its field, writing nothing", async () => {
    const me = await newPerson();
    const opts = { token: me.token };
    expect((await api("PATCH", url(me), VALID, opts)).status).toBe(200);
    const before = await storedRow(me.workspaceId);
    const since = await lastHistoryId();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ inn: "7704123451" }, "inn", "inn_check_digit"],
      [{ inn: "500100732258" }, "inn", "inn_check_digit"],
      [{ inn: "77041234" }, "inn", "not_inn"],
      [{ inn: "770412345a" }, "inn", "not_inn"],
      [{ kpp: "77040100" }, "kpp", "not_kpp"],
      [{ kpp: "7704ab001" }, "kpp", "not_kpp"],
      [{ bic: "123456789" }, "bic", "not_bic"],
      [{ bic: "04452522" }, "bic", "not_bic"],
      [{ settlement_account: "4070281020000001234" }, "settlement_account", "not_bank_account"],
      // a wrong key against the stored BIC
      [{ settlement_account: "40702810300000012345" }, "settlement_account", "account_check_digit"],
      // both sent: the account against the BIC sent
      [{ settlement_account: VALID.settlement_account, bic: "044525593" }, "settlement_account", "account_check_digit"],
      // only the BIC sent: the stored accounts do not match it, the BIC is named
      [{ bic: "044525593" }, "bic", "account_check_digit"],
      [{ correspondent_account: "30101810400000000226" }, "correspondent_account", "account_check_digit"],
      [{ correspondent_account: "40101810400000000225" }, "correspondent_account", "not_correspondent_account"],
      [{ org_email: "not an address" }, "org_email", "not_email"],
      [{ org_name: "x".repeat(301) }, "org_name", "too_long"],
      [{ org_name: "ООО\u202e «Проба»" }, "org_name", "direction_marks"],
      [{ inn: 7704123450 }, "inn", "wrong_type"],
      [{ owner: "x" }, "owner", "unknown_field"],
      [{}, "body", "nothing_to_change"],
    ];
    for (const [body, field, reason] of cases) {
      const res = await api("PATCH", url(me), field === "body" ? body : { org_phone: "+7 000 000-00-01", ...body }, opts);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.field_reasons?.[field]?.reason, JSON.stringify(res.body)).toBe(reason);
      expect(typeof res.body.error.fields[field]).toBe("string");
    }
    expect(await storedRow(me.workspaceId)).toEqual(before);
    expect(await historySince(since)).toEqual([]);

    // a settlement account and its BIC changed together, both valid: saved
    const bic = "044525593";
    const account = accountWithKey("40702810000000054321", bic);
    const corr = "30101810200000000593";
    const res = await api("PATCH", url(me), { bic, settlement_account: account, correspondent_account: corr }, opts);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ bic, settlement_account: account, correspondent_account: corr, complete: true });
  });

  it("is another workspace's business: 404, nothing changed", async () => {
    await testPerson();
    const other = await newPerson();
    const before = await storedRow(other.workspaceId);
    expect((await api("GET", url(other))).status).toBe(404);
    const res = await api("PATCH", url(other), { org_name: "ООО «Чужое»" });
    expect(res.status).toBe(404);
    expect(res.body.error.reason).toBe("workspace_not_found");
    expect(await storedRow(other.workspaceId)).toEqual(before);
  });

  it("the demo organisation's requisites pass every check", () => {
    expect(innCheckDigitsValid(DEMO_REQUISITES.inn)).toBe(true);
    expect(settlementAccountValid(DEMO_REQUISITES.settlementAccount, DEMO_REQUISITES.bic)).toBe(true);
    expect(correspondentAccountValid(DEMO_REQUISITES.correspondentAccount, DEMO_REQUISITES.bic)).toBe(true);
  });
});

describe("the apartment's owner", () => {
  it("round-trips owner_name through create, update, get and the house's list; trimmed, a | kept, '' clears, over 300 refused", async () => {
    const h = await createHouse();
    const created = await api("POST", `/api/houses/${h.id}/apartments`, {
      number: "7",
      area: "40",
      owner_name: "  Иванов | Иван Иванович ",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.owner_name).toBe("Иванов | Иван Иванович");
    const id = created.body.id as number;

    const plain = await createApartment(h.id);
    expect((await api("GET", `/api/apartments/${plain.id}`)).body.owner_name).toBe("");

    const since = await lastHistoryId();
    const updated = await api("PATCH", `/api/apartments/${id}`, { owner_name: "Петрова Мария Сергеевна" });
    expect(updated.status).toBe(200);
    expect(updated.body.owner_name).toBe("Петрова Мария Сергеевна");
    const entries = await historySince(since);
    expect(entries.map((e) => [e.entity, e.action, e.operation])).toEqual([["apartment", "update", "updateApartment"]]);
    expect(entries[0].after).toMatchObject({ owner_name: "Петрова Мария Сергеевна" });

    expect((await api("GET", `/api/apartments/${id}`)).body.owner_name).toBe("Петрова Мария Сергеевна");
    const house = await api("GET", `/api/houses/${h.id}`);
    const listed = new Map(house.body.apartments.map((a: { id: number; owner_name: string }) => [a.id, a.owner_name]));
    expect(listed).toEqual(
      new Map([
        [id, "Петрова Мария Сергеевна"],
        [plain.id, ""],
      ]),
    );

    const tooLong = await api("PATCH", `/api/apartments/${id}`, { owner_name: "Я".repeat(301) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.field_reasons.owner_name.reason).toBe("too_long");
    expect((await api("PATCH", `/api/apartments/${id}`, { owner_name: "" })).body.owner_name).toBe("");
  });
});
