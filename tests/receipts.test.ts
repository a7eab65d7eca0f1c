import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { addMonths } from "../lib/months";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { db, historySince, lastHistoryId } from "./helpers/db";
import { apiError } from "./helpers/fixtures";
import { decodeQr, pdfText, renderPage } from "./helpers/pdf-read";
import { until } from "./helpers/wait";
import { killWorkers, startWorker, tails } from "./helpers/worker";

// The payment documents (issue 17): a real PDF rendered through the API, read back (its text
// and its QR code decoded from the rendered page), every figure compared with the hand-computed
// one below and with the apartment's account.
//
// Cold water 45.67 ₽/m³, maintenance 30.12 ₽/m² (wastewater off), months 2026-08..2026-10, due
// on the 15th of the next month (2026-11-15 is a Sunday: October's is due Monday 2026-11-16).
// The penalty rate is the key rate (16.50 %) capped at 9.5 % (Постановление № 474).
//
// Apartment 1: 52.30 m², its meter reads 100.000 (07), 112.500 (08), 118.000 (09), 120.000 (10).
//   08: water 12.5 × 45.67 = 570.875 → 570.88; maintenance 52.30 × 30.12 = 1575.276 → 1575.28; 2146.16
//   09: water 5.5 × 45.67 = 251.185 → 251.19; 1826.47
//   10: water 2 × 45.67 = 91.34; 1666.62
//   paid 1000.00 on 2026-10-20 → pays August's charge (the oldest debt)
//   penalty as of 10-31 on August (due 09-15, 46 days: days 31..46 = Oct 16..31 accrue 1/300):
//     the 1000.00 paid on 10-20: 1000 × 0.095 / 300 × 5 days (16..20) = 1.58333…
//     the 1146.16 still owed:    1146.16 × 0.095 / 300 × 16 days        = 5.80721…  → 7.39
//     September's charge (due 10-15) is 16 days late: nothing yet
//   the October document: debt at the start 2146.16 + 1826.47 = 3972.63; paid 1000.00;
//     charged 1666.62; penalties 7.39; to pay 3972.63 − 1000.00 + 1666.62 + 7.39 = 4646.64
// Apartment 2: 40.00 m² (maintenance 1204.80), owner unknown; its meter reads 100 (05), 103 (06),
//   106 (07), 109 (08), nothing in 09, 115.500 (10).
//   08: 3 m³ → 137.01; 1341.81
//   09: no reading: the average (Правила № 354 п. 59) (109 − 100) / 3 months = 3.000 m³ → 137.01; 1341.81
//   10: the reading comes: true-up (п. 61): actual 115.5 − 109 = 6.500, estimated before 3.000,
//       billed 3.500 m³ → 159.845 → 159.85, shown as charged 6.5 × 45.67 = 296.855 → 296.86 and a
//       recalculation of −3.000 × 45.67 = −137.01; total 159.85 + 1204.80 = 1364.65
//   penalty as of 10-31 on August: 1341.81 × 0.095 / 300 × 16 = 6.7985… → 6.80
//   the October document: 2683.62 at the start, nothing paid, charged 1364.65, penalties 6.80,
//     to pay 4055.07

afterEach(killWorkers);

type Me = Awaited<ReturnType<typeof asNewPerson>>;
let me: Me;
let workspaceId: number;
let houseId: number;
let flats: number[];

const REQUISITES = {
  org_name: "ООО «УК Тест|Сервис»",
  inn: "7707083893",
  kpp: "773601001",
  org_address: "г. Москва, ул. Вавилова, д. 19",
  org_phone: "+7 495 000-00-00",
  settlement_account: "40702810200000012345",
  bank_name: "ПАО Сбербанк",
  bic: "044525225",
  correspondent_account: "30101810400000000225",
};

/** Straight into the table: the API would refuse an account whose BIC is cleared. */
async function setRequisites(values: Record<string, string>) {
  const sets = Object.entries(values).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
  await db().execute(sql`update workspace set ${sql.join(sets, sql`, `)} where id = ${workspaceId}`);
}

async function bill(period: string, post: boolean) {
  const run = await me.call("POST", `/api/houses/${houseId}/billing-runs`, { period });
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  await billInline(run.body.id);
  if (post) {
    const posted = await me.call("POST", `/api/houses/${houseId}/months/${period}/post`);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  }
}

async function receipt(apartmentId: number, period: string) {
  const res = await me.call<Buffer>("GET", `/api/apartments/${apartmentId}/receipt?period=${period}`);
  expect(res.status, String(res.body)).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  return res.body;
}

/** The page's text with the no-break spaces of Russian number grouping as plain spaces, each run of spaces one. */
const plain = (text: string) =>
  text
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();

beforeAll(async () => {
  me = await asNewPerson("+79995700001");
  workspaceId = (await me.call("GET", "/api/workspaces")).body.items[0].id;
  const requisites = await me.call("PATCH", `/api/workspaces/${workspaceId}/requisites`, REQUISITES);
  expect(requisites.status, JSON.stringify(requisites.body)).toBe(200);
  expect(requisites.body.complete).toBe(true);
  const services = (await me.call("GET", "/api/services")).body.items as { id: number; code: string }[];
  const wastewater = services.find((s) => s.code === "wastewater")!;
  expect((await me.call("PATCH", `/api/services/${wastewater.id}`, { active: false })).status).toBe(200);
  for (const [service, price] of [
    ["cold_water", "45.67"],
    ["maintenance", "30.12"],
  ])
    await me.create("/api/tariffs", { service, price, valid_from: "2026-01" });
  houseId = (await me.create<{ id: number }>("/api/houses", { address: "г. Тверь, ул. Квитанций, д. 7" })).id;
  const readings: Record<string, string>[] = [
    { "2026-07": "100", "2026-08": "112.5", "2026-09": "118", "2026-10": "120" },
    { "2026-05": "100", "2026-06": "103", "2026-07": "106", "2026-08": "109", "2026-10": "115.5" },
  ];
  flats = [];
  for (const [i, area] of ["52.30", "40.00"].entries()) {
    const flat = await me.create<{ id: number }>(`/api/houses/${houseId}/apartments`, { number: String(i + 1), area, residents: 2 });
    const meter = await me.create<{ id: number }>(`/api/apartments/${flat.id}/meters`, {
      serial_number: `RC-${i + 1}`,
      service: "cold_water",
    });
    for (const [period, value] of Object.entries(readings[i])) {
      const res = await me.call("PUT", `/api/meters/${meter.id}/readings/${period}`, { value });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    flats.push(flat.id);
  }
  const owner = await me.call("PATCH", `/api/apartments/${flats[0]}`, { owner_name: "Иванова Мария Петровна", account_number: "00070001" });
  expect(owner.status, JSON.stringify(owner.body)).toBe(200);
  await bill("2026-08", true);
  await bill("2026-09", true);
  const paid = await me.call("POST", "/api/payments", { apartment_id: flats[0], paid_on: "2026-10-20", amount: "1000.00" });
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  await bill("2026-10", false);
});

describe("an apartment's payment document", () => {
  it("a month not posted is a draft: watermarked, with the figures posting would give", async () => {
    const [page] = await pdfText(await receipt(flats[0], "2026-10"));
    expect(plain(page)).toContain("ЧЕРНОВИК: месяц не проведён");
    expect(plain(page)).toMatch(/ИТОГО К ОПЛАТЕ 4 646,64/);
  });

  it("prints the payer, the organisation, every line, the meters and the account's figures, and the QR code carries them", async () => {
    await bill("2026-10", false); // billed again: nothing changes
    const posted = await me.call("POST", `/api/houses/${houseId}/months/2026-10/post`);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const pdf = await receipt(flats[0], "2026-10");
    const pages = (await pdfText(pdf)).map(plain);
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page).not.toContain("ЧЕРНОВИК");
    expect(page).toContain("ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ за октябрь 2026 г.");
    expect(page).toContain("Лицевой счёт № 00070001");
    expect(page).toContain("ФИО: Иванова Мария Петровна");
    expect(page).toContain("Адрес: г. Тверь, ул. Квитанций, д. 7, кв. 1");
    expect(page).toContain("Площадь: 52,30 м²");
    expect(page).toContain("Зарегистрировано: 2 чел.");
    expect(page).toContain("ООО «УК Тест|Сервис»");
    expect(page).toContain("ИНН / КПП: 7707083893 / 773601001");
    expect(page).toContain("Р/с: 40702810200000012345");
    expect(page).toContain("БИК: 044525225");
    expect(page).toContain("К/с: 30101810400000000225");
    expect(page).toMatch(/Холодн\S* вод\S* м³ 2,000 45,67 91,34 — 91,34/i);
    expect(page).toMatch(/Содержание\D+м² 52,30 30,12 1 575,28 — 1 575,28/);
    expect(page).toContain("Итого за месяц 1 666,62");
    expect(page).toContain("RC-1 ХВС 118,000 (09.2026) 120,000 (10.2026) 2,000 по показаниям");
    expect(page).toContain("Задолженность на начало периода 3 972,63");
    expect(page).toContain("Оплачено в периоде 1 000,00");
    expect(page).toContain("Начислено за период 1 666,62");
    expect(page).toContain("Пени (ЖК РФ ст. 155 ч. 14) 7,39");
    expect(page).toContain("ИТОГО К ОПЛАТЕ 4 646,64");
    expect(page).toContain("Оплатить до 16.11.2026");

    // the account says the same as of the month's last day
    const account = (await me.call("GET", `/api/apartments/${flats[0]}/account?as_of=2026-10-31`)).body;
    expect(account.total_due).toBe("4646.64");
    expect(account.penalties.charged).toBe("7.39");
    const start = (await me.call("GET", `/api/apartments/${flats[0]}/account?as_of=2026-09-30`)).body;
    expect(start.balance).toBe("3972.63");

    const qr = decodeQr(await renderPage(pdf, 1, 3));
    expect(qr).not.toBeNull();
    const fields = Object.fromEntries(
      qr!
        .split("|")
        .slice(1)
        .map((f) => f.split(/=(.*)/s).slice(0, 2)),
    );
    expect(qr!.startsWith("ST00012|")).toBe(true);
    expect(fields).toMatchObject({
      PersonalAcc: REQUISITES.settlement_account,
      BankName: REQUISITES.bank_name,
      BIC: REQUISITES.bic,
      CorrespAcc: REQUISITES.correspondent_account,
      PayeeINN: REQUISITES.inn,
      KPP: REQUISITES.kpp,
      Sum: "464664",
      Purpose: "Оплата ЖКУ за 10.2026, л/с 00070001",
      PersAcc: "00070001",
      PayerAddress: "г. Тверь, ул. Квитанций, д. 7, кв. 1",
      PaymPeriod: "102026",
      LastName: "Иванова",
      FirstName: "Мария",
      MiddleName: "Петровна",
      TechCode: "02",
    });
    expect(Object.keys(fields).slice(0, 5)).toEqual(["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"]);
    // the organisation's name had a "|", which would have split the field
    expect(fields.Name).not.toContain("|");
    expect(fields.Name).toMatch(/^ООО «УК Тест.Сервис»$/);
  });

  it("a true-up shows the recalculation of the estimated month, with its basis, and the meter as estimated the month before", async () => {
    const october = (await pdfText(await receipt(flats[1], "2026-10"))).map(plain)[0];
    expect(october).toMatch(/Холодн\S* вод\S* м³ 6,500 45,67 296,86 -137,01 159,85/i);
    expect(october).toMatch(/Основания перерасчёта: .*RC-2.*факт 6,500 − начислено по среднему 3,000.*п\. 61/s);
    expect(october).toContain("Итого за месяц 1 364,65");
    expect(october).toContain("Задолженность на начало периода 2 683,62");
    expect(october).toContain("Оплачено в периоде 0,00");
    expect(october).toContain("Пени (ЖК РФ ст. 155 ч. 14) 6,80");
    expect(october).toContain("ИТОГО К ОПЛАТЕ 4 055,07");
    expect(october).toContain("ФИО: —");
    const september = (await pdfText(await receipt(flats[1], "2026-09"))).map(plain)[0];
    expect(september).toMatch(/RC-2 ХВС 109,000 \(08\.2026\) — 3,000 среднее за 3 мес\./);
  });

  it("refuses a month without an invoice, an apartment elsewhere, and incomplete requisites, naming what is missing", async () => {
    const none = await me.call("GET", `/api/apartments/${flats[0]}/receipt?period=2026-11`);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject(apiError("conflict", undefined, { reason: "receipt_no_invoice" }));
    const bad = await me.call("GET", `/api/apartments/${flats[0]}/receipt?period=2026-13`);
    expect(bad.status).toBe(422);
    const stranger = await asNewPerson("+79995700002");
    expect((await stranger.call("GET", `/api/apartments/${flats[0]}/receipt?period=2026-10`)).status).toBe(404);
    await setRequisites({ bic: "", kpp: "" });
    try {
      const res = await me.call("GET", `/api/apartments/${flats[0]}/receipt?period=2026-10`);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ reason: "requisites_incomplete", params: { fields: "kpp, bic" } });
    } finally {
      await setRequisites({ bic: REQUISITES.bic, kpp: REQUISITES.kpp });
    }
  });
});

describe("a house's payment documents", () => {
  it("are made by a worker into one PDF, a page per apartment, with progress, and downloaded when done", async () => {
    const since = await lastHistoryId();
    const early = await me.call("POST", `/api/houses/${houseId}/receipt-batches`, { period: "2026-10" });
    expect(early.status, JSON.stringify(early.body)).toBe(202);
    expect(early.body).toMatchObject({ status: "queued", total: 2, done: 0, draft: false, download: null });
    const notReady = await me.call("GET", `/api/receipt-batches/${early.body.id}/pdf`);
    expect(notReady.status).toBe(409);
    expect(notReady.body.error.reason).toBe("receipt_batch_not_ready");
    const history = await historySince(since);
    expect(history.map((h: { entity: string; action: string }) => `${h.entity} ${h.action}`)).toEqual(["receipt_batch insert"]);

    const worker = await startWorker();
    const done = await until(
      async () => {
        const res = await me.call("GET", `/api/receipt-batches/${early.body.id}`);
        return res.body.status === "done" || res.body.status === "failed" ? res.body : null;
      },
      "the batch to be done",
      60_000,
      tails([worker]),
    );
    expect(done).toMatchObject({ status: "done", total: 2, done: 2, percent: 100, download: `/api/receipt-batches/${early.body.id}/pdf` });
    const file = await me.call<Buffer>("GET", done.download);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain(`receipts-${houseId}-2026-10.pdf`);
    expect(file.body.length).toBe(done.pdf_size);
    const pages = (await pdfText(file.body)).map(plain);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain("ИТОГО К ОПЛАТЕ 4 646,64");
    expect(pages[1]).toContain("ИТОГО К ОПЛАТЕ 4 055,07");
    // the second page's QR code is the second apartment's
    const qr = decodeQr(await renderPage(file.body, 2, 3));
    expect(qr).toContain("|Sum=405507|");

    const list = await me.call("GET", `/api/houses/${houseId}/receipt-batches?period=2026-10`);
    expect(list.body.items.map((b: { id: number }) => b.id)).toContain(early.body.id);
  });

  it("a month without invoices is refused before anything is queued", async () => {
    const since = await lastHistoryId();
    const res = await me.call("POST", `/api/houses/${houseId}/receipt-batches`, { period: addMonths("2026-10", 1) });
    expect(res.status).toBe(409);
    expect(res.body.error.reason).toBe("receipt_no_invoices");
    expect(await historySince(since)).toEqual([]);
  });
});
