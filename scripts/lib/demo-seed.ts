import type { Db } from "../../db/client";
import { insertApartments } from "../../db/queries/apartments";
import { addMember, renameWorkspace, setForeignInviteCode } from "../../db/queries/auth";
import { getRun, insertRunIfNoneActive } from "../../db/queries/billing";
import { countHouses, insertHouse } from "../../db/queries/houses";
import { updateMember } from "../../db/queries/members";
import { insertMeters } from "../../db/queries/meters";
import { insertMonthEvent, postMonth } from "../../db/queries/months";
import { insertNormatives } from "../../db/queries/normatives";
import { insertService } from "../../db/queries/services";
import { insertReadings } from "../../db/queries/readings";
import { setRequisites, type RequisitesRow } from "../../db/queries/requisites";
import { advisoryXactLock } from "../../db/queries/locks";
import { insertTariffs } from "../../db/queries/tariffs";
import { findOrCreatePerson } from "../../lib/auth/persons";
import type { MemberRole } from "../../lib/constants";
import { billRunInline } from "../../lib/billing/bill-run-inline";
import { houseEntries, insertEntries, ledgerApartments, type NewEntry } from "../../db/queries/ledger";
import { writeMonthEntries } from "../../lib/ledger/month-entries";
import { Dec, roundMoney } from "../../lib/money";
import { addMonths, monthToDate, type Month } from "../../lib/months";
import { lastDayOfMonth } from "../../lib/ledger/dates";

/** The demo register belongs to this person: sign in with it (the code is printed by `npm run dev`). */
export const DEMO_PHONE = "+79000000000";

/**
 * Colleagues in the demo workspace, to try the roles by signing in as each: they activated the
 * demo person's invite code and were admitted with these roles. The last one activated it and
 * awaits the demo person's decision (the members page).
 */
export const DEMO_MEMBERS: readonly { phone: string; role: MemberRole }[] = [
  { phone: "+79000000001", role: "accountant" },
  { phone: "+79000000002", role: "operator" },
  { phone: "+79000000003", role: "viewer" },
];
export const DEMO_PENDING_PHONE = "+79000000004";

export interface SeedSummary {
  houses: number;
  apartments: number;
  meters: number;
  readings: number;
  tariffs: number;
  services: number;
  normatives: number;
  /** invoices of the two months before the demo month, billed by the seed */
  invoices: number;
  /** payments recorded in the first house's accounts (and one opening balance) */
  payments: number;
  /** colleagues admitted to the demo workspace, and activations awaiting a decision */
  members: number;
  pending: number;
}

/**
 * What the demo bills beyond a new workspace's four services, one of each basis a receipt has:
 * heating and capital repair by area, solid waste per registered person, an intercom fee per
 * apartment.
 */
const DEMO_SERVICES = [
  { code: "heating", nameRu: "Отопление", nameEn: "Heating", basis: "area", price: "41.1200" },
  { code: "capital_repair", nameRu: "Взнос на капремонт", nameEn: "Capital repair", basis: "area", price: "15.6000" },
  { code: "solid_waste", nameRu: "Обращение с ТКО", nameEn: "Solid waste", basis: "residents", price: "112.4300" },
  { code: "intercom", nameRu: "Домофон", nameEn: "Intercom", basis: "apartment", price: "60.0000" },
] as const;

/** The apartment of each house whose meters are new: estimated by the normative in the demo month. */
const SHORT_HISTORY = "4";

interface DemoHouse {
  address: string;
  floors: number;
  perFloor: number;
  /** m² of the apartments on a floor, left to right */
  layout: string[];
}

const DEMO_HOUSES: DemoHouse[] = [
  { address: "г. Москва, ул. Лесная, д. 12", floors: 9, perFloor: 4, layout: ["38.40", "54.70", "72.15", "41.90"] },
  { address: "г. Москва, Солнечный проезд, д. 5, корп. 2", floors: 6, perFloor: 4, layout: ["33.10", "61.25", "48.60", "84.30"] },
];

/** Deterministic so that every fresh demo database looks the same (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decimal in [min, max) with the given places, built from integer steps (no float money). */
function decimalBetween(next: () => number, min: string, max: string, places: number): Dec {
  const steps = new Dec(max)
    .minus(min)
    .times(10 ** places)
    .toNumber();
  return new Dec(min).plus(new Dec(Math.floor(next() * steps)).dividedBy(10 ** places));
}

/**
 * The demo organisation's requisites, complete for a payment QR code. Fictional: the INN's check
 * digit and the settlement account's key are computed (lib/receipts/requisites.ts, tested in
 * tests/requisites.test.ts); the BIC and correspondent account are ПАО Сбербанк's published ones.
 */
export const DEMO_REQUISITES: RequisitesRow = {
  orgName: "ООО «УК Демо»",
  inn: "7704123450",
  kpp: "770401001",
  orgAddress: "119002, г. Москва, ул. Арбат, д. 1, офис 1",
  orgPhone: "+7 495 000-00-00",
  orgEmail: "info@uk-demo.example",
  orgSite: "uk-demo.example",
  settlementAccount: "40702810200000012345",
  bankName: "ПАО Сбербанк",
  bic: "044525225",
  correspondentAccount: "30101810400000000225",
};

/** Owners' names for the demo apartments (the payer on a payment document), given in turn. */
const DEMO_OWNERS = [
  "Иванов Иван Иванович",
  "Петрова Мария Сергеевна",
  "Смирнов Алексей Петрович",
  "Кузнецова Ольга Викторовна",
  "Попов Дмитрий Андреевич",
  "Васильева Елена Николаевна",
  "Соколов Сергей Михайлович",
  "Михайлова Анна Александровна",
  "Новиков Павел Игоревич",
  "Фёдорова Татьяна Владимировна",
  "Морозов Николай Олегович",
];

/**
 * Loads the demo register into the demo person's workspace when no house exists yet: two houses,
 * 60 apartments with 0–4 residents, cold and hot water meters with readings for the six months
 * before `currentMonth`, tariffs with one price change and one house-specific price, the
 * services of DEMO_SERVICES and the normatives; and bills the two months before the demo month
 * (the month before `currentMonth`), so that billing the demo month shows every kind of line:
 * - every 10th meter lacks the demo month's reading: estimated by its average;
 * - every 10th from the 5th lacks the reading of the month before (billed by the seed on its
 *   average), and has the demo month's: trued up;
 * - apartment 4 of each house (two people registered) has meters read only in the two months
 *   before the demo month: too short a history for an average, estimated by the normative;
 * - every 25th was verified only until the end of the month three months before `currentMonth`
 *   (its last two readings are unusable: estimated by its average, flagged verification_expired);
 * - heating and capital repair by area, solid waste per person, an intercom fee per apartment.
 * The seeded months are billed inside the seed's transaction, so no worker sees their runs
 * unfinished. Returns null when the database already holds houses.
 */
export async function seedDemoData(db: Db, currentMonth: Month): Promise<SeedSummary | null> {
  return db.transaction(async (tx) => {
    // Serialise concurrent seeders (two `npm run dev` on one DATABASE_URL).
    await advisoryXactLock(tx, 727001);
    if ((await countHouses(tx)) > 0) return null;
    const { person } = await findOrCreatePerson(tx, DEMO_PHONE);
    const ws = { id: person.personalWorkspaceId };
    await renameWorkspace(tx, ws.id, "Demo management company");
    await setRequisites(tx, ws.id, DEMO_REQUISITES);

    const next = random(20240501);
    const firstMonth = addMonths(currentMonth, -6);
    const summary: SeedSummary = {
      houses: 0,
      apartments: 0,
      meters: 0,
      readings: 0,
      tariffs: 0,
      services: 0,
      normatives: 0,
      invoices: 0,
      payments: 0,
      members: 0,
      pending: 0,
    };
    // the last day of the month three months before: the meter's last two months are past it
    const verifiedUntil = new Date(`${addMonths(currentMonth, -2)}-01T00:00:00Z`);
    verifiedUntil.setUTCDate(0);
    let meterNumber = 0;

    const houseIds: number[] = [];
    for (const [houseIndex, demo] of DEMO_HOUSES.entries()) {
      const h = { id: await insertHouse(tx, { workspaceId: ws.id, address: demo.address }) };
      houseIds.push(h.id);
      summary.houses++;
      const apartments = await insertApartments(
        tx,
        Array.from({ length: demo.floors * demo.perFloor }, (_, i) => {
          const residents = Math.floor(next() * 5);
          return {
            houseId: h.id,
            number: String(i + 1),
            // as a settlement centre numbers them: region, house, apartment (10 digits)
            accountNumber: `77${String(houseIndex + 1).padStart(3, "0")}${String(i + 1).padStart(5, "0")}`,
            area: demo.layout[i % demo.perFloor],
            residents: String(i + 1) === SHORT_HISTORY ? 2 : residents,
            // the second house's ground-floor shop space (number 1) has no owner on record
            ownerName: houseIndex === 1 && i === 0 ? "" : DEMO_OWNERS[(houseIndex * 7 + i) % DEMO_OWNERS.length],
          };
        }),
      );
      const shortHistory = new Set(apartments.filter((a) => a.number === SHORT_HISTORY).map((a) => a.id));
      summary.apartments += apartments.length;

      const meterRows = apartments
        // The ground-floor shop space of the second house has no water meters.
        .filter((a) => !(houseIndex === 1 && a.number === "1"))
        .flatMap((a) =>
          (["cold_water", "hot_water"] as const).map((service) => ({
            apartmentId: a.id,
            workspaceId: ws.id,
            serialNumber: `${service === "cold_water" ? "CW" : "HW"}-${houseIndex + 1}${a.number.padStart(3, "0")}`,
            service,
            installedOn: shortHistory.has(a.id) ? `${addMonths(currentMonth, -4)}-01` : `${addMonths(firstMonth, -12)}-15`,
            verifiedUntil: ++meterNumber % 25 === 0 ? verifiedUntil.toISOString().slice(0, 10) : null,
          })),
        );
      const meters = await insertMeters(tx, meterRows);
      summary.meters += meters.length;

      // k: 0 … 5, the month firstMonth + k; 5 is the demo month
      const readMonths = (n: number, apartmentId: number) =>
        shortHistory.has(apartmentId) ? [3, 4] : n % 10 === 0 ? [0, 1, 2, 3, 4] : n % 10 === 5 ? [0, 1, 2, 3, 5] : [0, 1, 2, 3, 4, 5];
      const readings = meters.flatMap((m, i) => {
        let value = decimalBetween(next, "40", "600", 3);
        const months = readMonths(summary.meters - meters.length + i + 1, m.apartmentId);
        return Array.from({ length: 6 }, (_, k) => {
          const monthly = m.service === "cold_water" ? decimalBetween(next, "2.5", "9", 3) : decimalBetween(next, "1.2", "5", 3);
          value = value.plus(monthly);
          return { meterId: m.id, period: monthToDate(addMonths(firstMonth, k)), value: value.toFixed(3) };
        }).filter((_, k) => months.includes(k));
      });
      await insertReadings(tx, readings);
      summary.readings += readings.length;

      if (houseIndex === 1) {
        await insertTariffs(tx, [
          { workspaceId: ws.id, houseId: h.id, service: "maintenance", price: "38.2000", validFrom: monthToDate(firstMonth) },
        ]);
        summary.tariffs++;
      }
    }

    const tariffs = [
      { service: "cold_water" as const, price: "54.0300", validFrom: firstMonth },
      { service: "cold_water" as const, price: "56.8700", validFrom: addMonths(currentMonth, -2) },
      { service: "hot_water" as const, price: "248.9100", validFrom: firstMonth },
      { service: "maintenance" as const, price: "32.5000", validFrom: firstMonth },
    ];
    await insertTariffs(
      tx,
      tariffs.map((t) => ({
        workspaceId: ws.id,
        houseId: null,
        service: t.service,
        price: t.price,
        validFrom: monthToDate(t.validFrom),
      })),
    );
    summary.tariffs += tariffs.length;

    for (const demo of DEMO_SERVICES) {
      await insertService(tx, {
        workspaceId: ws.id,
        code: demo.code,
        nameRu: demo.nameRu,
        nameEn: demo.nameEn,
        basis: demo.basis,
        active: true,
      });
    }
    const more = [{ code: "wastewater", price: "45.8400" }, ...DEMO_SERVICES];
    await insertTariffs(
      tx,
      more.map((t) => ({ workspaceId: ws.id, houseId: null, service: t.code, price: t.price, validFrom: monthToDate(firstMonth) })),
    );
    summary.services += DEMO_SERVICES.length;
    summary.tariffs += more.length;

    // m³ per person per month (demo figures)
    const normatives = [
      { service: "cold_water" as const, value: "6.9350" },
      { service: "hot_water" as const, value: "4.7450" },
    ];
    await insertNormatives(
      tx,
      normatives.map((n) => ({
        workspaceId: ws.id,
        houseId: null,
        service: n.service,
        value: n.value,
        validFrom: monthToDate(firstMonth),
      })),
    );
    summary.normatives += normatives.length;

    // The two months before the demo month, as the worker would bill them (portfolio runs).
    for (const month of [addMonths(currentMonth, -3), addMonths(currentMonth, -2)]) {
      const runId = await insertRunIfNoneActive(tx, { workspaceId: ws.id, houseId: null, period: monthToDate(month), personId: null });
      if (runId === null) throw new Error(`the demo run of ${month} could not be recorded`);
      await billRunInline(tx, runId);
      const run = await getRun(tx, runId);
      if (run?.status !== "completed") throw new Error(`the demo run of ${month} did not complete: ${run?.error}`);
      summary.invoices += run.invoices;
    }
    // The earlier of them is posted (closed), as the demo person would have done: the later one
    // stays a draft, the demo month is to be billed.
    const posted = monthToDate(addMonths(currentMonth, -3));
    for (const houseId of houseIds) {
      await postMonth(tx, { houseId, period: posted, personId: person.id });
      await insertMonthEvent(tx, { houseId, period: posted, action: "post", personId: person.id, reason: null });
      // as postHouseMonth does: the month's charges go into the apartments' accounts
      await writeMonthEntries(tx, houseId, addMonths(currentMonth, -3), { personId: person.id });
    }
    summary.payments = await seedPayments(tx, houseIds[0], currentMonth, person.id);

    // The colleagues came the way anyone comes: the demo person's invite code, then admission.
    for (const { phone, role } of [...DEMO_MEMBERS, { phone: DEMO_PENDING_PHONE, role: null }]) {
      const { person: colleague } = await findOrCreatePerson(tx, phone);
      await setForeignInviteCode(tx, colleague.id, { code: person.inviteCode, invitedById: person.id });
      await addMember(tx, { workspaceId: ws.id, personId: colleague.id, role: "viewer", status: "pending" });
      if (role) {
        await updateMember(tx, { workspaceId: ws.id, personId: colleague.id }, { role, status: "active", decidedById: person.id });
        summary.members++;
      } else summary.pending++;
    }
    return summary;
  });
}

/**
 * The first house's accounts after its posted month (the month three before `currentMonth`),
 * paid in the month after it: apartment 1 in full, apartment 2 half, apartment 3 not at all (its
 * charge becomes overdue), and apartment 5 came with a debt from the previous manager (an
 * opening balance on the last day before the posted month) and paid part of it. Returns the
 * number of payments.
 */
async function seedPayments(tx: Db, houseId: number, currentMonth: Month, personId: number): Promise<number> {
  const entries = await houseEntries(tx, houseId);
  const apartments = new Map((await ledgerApartments(tx, { houseId })).map((a) => [a.number, a]));
  const charge = (number: string) => entries.find((e) => e.kind === "charge" && e.apartment_id === apartments.get(number)!.id)!;
  const paidMonth = addMonths(currentMonth, -2);
  const entry = (number: string, fields: Omit<NewEntry, "workspaceId" | "houseId" | "apartmentId">): NewEntry => {
    const a = apartments.get(number)!;
    return { workspaceId: a.workspace_id, houseId, apartmentId: a.id, createdById: personId, ...fields };
  };
  const payment = (number: string, day: string, amount: Dec, payer: string): NewEntry =>
    entry(number, { kind: "payment", entryDate: `${paidMonth}-${day}`, amount: amount.neg().toFixed(2), source: "manual", payer });
  const rows: NewEntry[] = [
    entry("5", {
      kind: "opening",
      entryDate: lastDayOfMonth(addMonths(currentMonth, -4)),
      amount: "2350.00",
      comment: "Долг по данным прежней управляющей компании",
    }),
    payment("1", "08", new Dec(charge("1").amount), "Иванов И. И."),
    payment("2", "12", new Dec(roundMoney(new Dec(charge("2").amount).dividedBy(2))), "Петрова А. С."),
    payment("5", "14", new Dec("1000"), "Сидоров П. В."),
  ];
  // one at a time: the opening balance comes before the payments that pay it
  for (const row of rows) await insertEntries(tx, [row]);
  return rows.filter((r) => r.kind === "payment").length;
}
