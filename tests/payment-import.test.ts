import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getRejected } from "../app/api/payment-imports/[id]/rejected/route";
import { guessMapping } from "../lib/payment-import/mapping";
import { encodeCp1251 as cp1251 } from "../scripts/lib/cp1251";
import { parseDate, parsePeriod } from "../lib/file-import/cells";
import { parseAmount } from "../lib/payment-import/check-rows";
import { api } from "./helpers/api";
import { testPerson, type TestPerson } from "./helpers/auth";
import { db } from "./helpers/db";
import { until } from "./helpers/wait";
import { killWorkers, startWorker, tails } from "./helpers/worker";

// The import of bank payment registries (issue 16) through the real routes on a real database:
// upload → mapping and preview → commit, a big file through the pg-boss job and a worker.

afterEach(killWorkers);

let me: TestPerson;
let house: number;
/** account number → apartment id */
const apartments: Record<string, number> = {};

const toBody = (bytes: Buffer) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

async function upload(bytes: Buffer, name = "reestr.csv", contentType = "text/csv", token?: string) {
  return api("POST", `/api/payment-imports?workspace_id=${me.workspaceId}&file_name=${encodeURIComponent(name)}`, undefined, {
    rawBody: toBody(bytes),
    headers: { "content-type": contentType },
    token,
  });
}

async function ledgerPayments(importId?: number) {
  const { rows } = await db().execute<{
    apartment_id: number;
    amount: string;
    entry_date: string;
    external_id: string | null;
    period: string | null;
    payer: string | null;
  }>(sql`
    select apartment_id, amount::text, entry_date::text, external_id, period::text, payer from ledger_entry
    where kind = 'payment' and workspace_id = ${me.workspaceId} ${importId ? sql`and import_id = ${importId}` : sql``}
    order by id`);
  return rows;
}

/** The rejected rows' file as its bytes say (api()'s text() would drop the BOM). */
async function rejectedCsv(id: number, lang: string) {
  const request = new Request(`http://localhost/api/payment-imports/${id}/rejected?lang=${lang}`, {
    headers: { authorization: `Bearer ${me.token}` },
  });
  const response = await getRejected(request, { params: Promise.resolve({ id: String(id) }) });
  const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

async function allRows(id: number, status?: string) {
  const res = await api("GET", `/api/payment-imports/${id}/rows?limit=1000${status ? `&status=${status}` : ""}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

beforeAll(async () => {
  me = await testPerson();
  house = (await api("POST", "/api/houses", { address: "ул. Платёжная, 7" })).body.id;
  for (const n of ["1", "2", "3"]) {
    const id = (await api("POST", `/api/houses/${house}/apartments`, { number: n, area: "40.00" })).body.id as number;
    const account = `10000${n}`;
    await db().execute(sql`update apartment set account_number = ${account} where id = ${id}`);
    apartments[account] = id;
  }
});

describe("reading a registry", () => {
  it("understands the banks' dates, amounts and months", () => {
    expect(parseDate("05.03.2025")).toBe("2025-03-05");
    expect(parseDate("5.3.25")).toBe("2025-03-05");
    expect(parseDate("2025-03-05")).toBe("2025-03-05");
    expect(parseDate("05.03.2025 14:22:01")).toBe("2025-03-05");
    expect(parseDate("30.02.2025")).toBeNull();
    expect(parseDate("вчера")).toBeNull();
    expect(parseAmount("1 234,50")).toBe("1234.50");
    expect(parseAmount("1\u00a0234.5")).toBe("1234.50");
    expect(parseAmount("12,345")).toBeNull();
    expect(parseAmount("abc")).toBeNull();
    expect(parsePeriod("03.2025")).toBe("2025-03-01");
    expect(parsePeriod("2025-03")).toBe("2025-03-01");
    expect(parsePeriod("032025")).toBe("2025-03-01");
    expect(parsePeriod("0325")).toBe("2025-03-01");
    expect(parsePeriod("13.2025")).toBeNull();
  });

  it("guesses the columns from Russian and English headers", () => {
    expect(guessMapping(["№ платежа", "Лицевой счет", "ФИО", "Дата", "Сумма", "Период"])).toEqual({
      account_number: 1,
      paid_on: 3,
      amount: 4,
      external_id: 0,
      payer: 2,
      period: 5,
    });
    expect(guessMapping(["Date", "Account", "Amount", "ID"])).toEqual({ account_number: 1, paid_on: 0, amount: 2, external_id: 3 });
  });
});

describe("upload, preview, commit", () => {
  const FILE_CP1251 = [
    "Номер;ЛС;Плательщик;Дата платежа;Сумма;Период",
    "A-1;100001;Иванов Иван;05.03.2025;1 500,50;02.2025",
    "A-2;100002;Петров Пётр;06.03.2025;200,00;",
    "A-3;100003;Сидорова Анна;07.03.2025;99,99;03.2025",
  ].join("\r\n");

  it("a cp1251 `;` file with decimal commas and DD.MM.YYYY: detected, suggested, previewed, committed", async () => {
    const up = await upload(cp1251(FILE_CP1251));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      status: "uploaded",
      encoding: "windows-1251",
      delimiter: ";",
      columns: ["Номер", "ЛС", "Плательщик", "Дата платежа", "Сумма", "Период"],
      rows_total: 3,
      suggested_from: "guessed",
      suggested_mapping: { external_id: 0, account_number: 1, payer: 2, paid_on: 3, amount: 4, period: 5 },
    });
    expect(up.body.sample[0]).toEqual(["A-1", "100001", "Иванов Иван", "05.03.2025", "1 500,50", "02.2025"]);

    // mapped by header names and indexes mixed
    const mapped = await api("PUT", `/api/payment-imports/${up.body.id}/mapping`, {
      account_number: "ЛС",
      paid_on: "Дата платежа",
      amount: 4,
      external_id: "Номер",
      payer: 2,
      period: "Период",
    });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    expect(mapped.body).toMatchObject({
      status: "previewed",
      rows_total: 3,
      rows_done: 3,
      rows_ok: 3,
      rows_error: 0,
      rows_duplicate: 0,
      percent: 100,
    });
    const rows = await allRows(up.body.id);
    expect(rows.map((r) => [r.line, r.status, r.apartment_id, r.amount, r.paid_on, r.period, r.payer])).toEqual([
      [2, "ok", apartments["100001"], "1500.50", "2025-03-05", "2025-02-01", "Иванов Иван"],
      [3, "ok", apartments["100002"], "200.00", "2025-03-06", null, "Петров Пётр"],
      [4, "ok", apartments["100003"], "99.99", "2025-03-07", "2025-03-01", "Сидорова Анна"],
    ]);
    expect(rows[0]).toMatchObject({ apartment_number: "1", house_id: house, house_address: "ул. Платёжная, 7" });
    // nothing is in the accounts before the commit
    expect(await ledgerPayments(up.body.id)).toEqual([]);

    const committed = await api("POST", `/api/payment-imports/${up.body.id}/commit`);
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body).toMatchObject({ status: "committed", rows_ok: 3, columns: null, committed_by_id: me.personId });
    expect(await ledgerPayments(up.body.id)).toEqual([
      {
        apartment_id: apartments["100001"],
        amount: "-1500.50",
        entry_date: "2025-03-05",
        external_id: "A-1",
        period: "2025-02-01",
        payer: "Иванов Иван",
      },
      {
        apartment_id: apartments["100002"],
        amount: "-200.00",
        entry_date: "2025-03-06",
        external_id: "A-2",
        period: null,
        payer: "Петров Пётр",
      },
      {
        apartment_id: apartments["100003"],
        amount: "-99.99",
        entry_date: "2025-03-07",
        external_id: "A-3",
        period: "2025-03-01",
        payer: "Сидорова Анна",
      },
    ]);
    const { rows: files } = await db().execute<{ content: Buffer | null }>(
      sql`select content from payment_import where id = ${up.body.id}`,
    );
    expect(files[0].content).toBeNull();
    // a second commit is refused
    const again = await api("POST", `/api/payment-imports/${up.body.id}/commit`);
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe("payment_import_not_previewed");

    // the same file again: the mapping is remembered and suggested; every row is a duplicate, nothing is written
    const second = await upload(cp1251(FILE_CP1251));
    expect(second.body).toMatchObject({
      suggested_from: "remembered",
      suggested_mapping: { external_id: 0, account_number: 1, payer: 2, paid_on: 3, amount: 4, period: 5 },
    });
    const preview = await api("PUT", `/api/payment-imports/${second.body.id}/mapping`, second.body.suggested_mapping);
    expect(preview.body).toMatchObject({ status: "previewed", rows_ok: 0, rows_duplicate: 3 });
    expect((await allRows(second.body.id)).map((r) => r.reason)).toEqual(["already_imported", "already_imported", "already_imported"]);
    const done = await api("POST", `/api/payment-imports/${second.body.id}/commit`);
    expect(done.body).toMatchObject({ status: "committed", rows_ok: 0, rows_duplicate: 3 });
    expect(await ledgerPayments(second.body.id)).toEqual([]);
    expect(await ledgerPayments()).toHaveLength(3);
  });

  it("a UTF-8 file with a BOM and `,`, YYYY-MM-DD; a payment entered after the preview makes its row a duplicate", async () => {
    const text = '\uFEFFid,account,date,amount\nU-1,100001,2025-04-01,10.00\nU-2,100002,2025-04-02,"1,234.00"\n';
    // "1,234.00" in quotes is one cell: a thousands comma is not a decimal one here, so it is not a sum
    const up = await upload(Buffer.from(text, "utf8"), "utf.csv", "application/octet-stream");
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ encoding: "utf-8", delimiter: ",", columns: ["id", "account", "date", "amount"] });
    const mapped = await api("PUT", `/api/payment-imports/${up.body.id}/mapping`, {
      account_number: 1,
      paid_on: 2,
      amount: 3,
      external_id: 0,
    });
    expect(mapped.body).toMatchObject({ rows_ok: 1, rows_error: 1 });
    const [, bad] = await allRows(up.body.id);
    expect(bad).toMatchObject({ line: 3, status: "error", reason: "amount_invalid" });

    // someone records U-1 by hand meanwhile
    await db().execute(sql`
      insert into ledger_entry (workspace_id, house_id, apartment_id, kind, entry_date, amount, source, external_id)
      values (${me.workspaceId}, ${house}, ${apartments["100001"]}, 'payment', '2025-04-01', -10.00, 'manual', 'U-1')`);
    const committed = await api("POST", `/api/payment-imports/${up.body.id}/commit`);
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body).toMatchObject({ status: "committed", rows_ok: 0, rows_error: 1, rows_duplicate: 1 });
    expect(await ledgerPayments(up.body.id)).toEqual([]);
  });

  it("every bad row of a broken file is reported with its line and reason; the rejected rows download as CSV", async () => {
    const lines = [
      "Номер;ЛС;Дата;Сумма;Период",
      "B-1;100001;01.05.2025;100,00;05.2025", // 2 ok
      "", // 3 empty: left out
      "B-2;999999;01.05.2025;100,00;", // 4 account_unknown
      "B-3;100002;31.04.2025;100,00;", // 5 date_invalid
      "B-4;100002;01.01.2999;100,00;", // 6 date_in_future
      "B-5;100002;01.05.2025;сто;", // 7 amount_invalid
      "B-6;100002;01.05.2025;10,005;", // 8 amount_invalid (3 decimals)
      "B-7;100002;01.05.2025;-5,00;", // 9 amount_not_positive
      "B-8;100002;01.05.2025;0;", // 10 amount_not_positive
      "B-9;100002;01.05.2025;5,00;13.2025", // 11 period_invalid
      "B-10;100002", // 12 columns_missing
      "B-11;;01.05.2025;5,00;", // 13 value_missing
      "B-1;100003;01.05.2025;7,00;", // 14 repeated_in_file (line 2)
      "B-12;0100003;01.05.2025;7,00;", // 15 ok: zeros in front of an account number do not count
      "B-13;00100003;01.05.2025;7,00;", // 16 ok: zeros in front of the number are dropped
    ];
    const up = await upload(cp1251(lines.join("\n")));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const mapped = await api("PUT", `/api/payment-imports/${up.body.id}/mapping`, up.body.suggested_mapping);
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    const rows = await allRows(up.body.id);
    expect(rows.map((r) => [r.line, r.status, r.reason])).toEqual([
      [2, "ok", null],
      [4, "error", "account_unknown"],
      [5, "error", "date_invalid"],
      [6, "error", "date_in_future"],
      [7, "error", "amount_invalid"],
      [8, "error", "amount_invalid"],
      [9, "error", "amount_not_positive"],
      [10, "error", "amount_not_positive"],
      [11, "error", "period_invalid"],
      [12, "error", "columns_missing"],
      [13, "error", "value_missing"],
      [14, "duplicate", "repeated_in_file"],
      [15, "ok", null],
      [16, "ok", null],
    ]);
    expect(mapped.body).toMatchObject({ rows_total: 14, rows_ok: 3, rows_error: 10, rows_duplicate: 1 });
    expect(rows.find((r) => r.line === 14)!.message).toContain("line 2");
    // filtered and paged
    const errors = await api("GET", `/api/payment-imports/${up.body.id}/rows?status=error&limit=4`);
    expect(errors.body.items.map((r: { line: number }) => r.line)).toEqual([4, 5, 6, 7]);
    expect(errors.body.next_after).toBe(7);
    const next = await api("GET", `/api/payment-imports/${up.body.id}/rows?status=error&limit=4&after=7`);
    expect(next.body.items.map((r: { line: number }) => r.line)).toEqual([8, 9, 10, 11]);

    const csv = await rejectedCsv(up.body.id, "en");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const csvLines = csv.body.split("\r\n");
    expect(csvLines[0]).toBe("\uFEFFLine;Status;Reason;Message");
    expect(csvLines).toHaveLength(1 + 11 + 1);
    expect(csvLines[1]).toBe("4;error;account_unknown;no apartment has the account number 999999;B-2;999999;01.05.2025;100,00;");
    const ru = await rejectedCsv(up.body.id, "ru");
    expect(ru.body.split("\r\n")[1]).toContain("Нет квартиры с таким лицевым счётом.");

    // a file nobody confirmed leaves nothing in the accounts; discarding it drops its rows
    expect(await ledgerPayments(up.body.id)).toEqual([]);
    expect((await api("DELETE", `/api/payment-imports/${up.body.id}`)).status).toBe(204);
    expect((await api("GET", `/api/payment-imports/${up.body.id}`)).body.status).toBe("discarded");
    expect((await api("POST", `/api/payment-imports/${up.body.id}/commit`)).status).toBe(409);
    expect((await api("DELETE", `/api/payment-imports/${up.body.id}`)).body.error.reason).toBe("payment_import_closed");
    expect(await ledgerPayments(up.body.id)).toEqual([]);
  });

  it("a file that cannot be read is refused with a reason, and nothing is stored", async () => {
    const { rows: before } = await db().execute<{ n: number }>(sql`select count(*)::int as n from payment_import`);
    const cases: [Buffer, string, number, string][] = [
      [Buffer.alloc(0), "text/csv", 422, "import_file_unreadable"],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), "application/octet-stream", 422, "import_file_unreadable"],
      [Buffer.from("ЛС;Дата;Сумма\n"), "text/csv", 422, "import_file_unreadable"],
      [Buffer.from("just one column\nsecond"), "text/csv", 422, "import_file_unreadable"],
      [Buffer.from("ЛС;Дата;Сумма\n1;2;3\n"), "multipart/form-data", 415, "import_file_type"],
    ];
    // over 20 MB
    cases.push([Buffer.alloc(20 * 1024 * 1024 + 1, 0x31), "text/csv", 413, "body_too_large"]);
    for (const [bytes, type, status, reason] of cases) {
      const res = await upload(bytes, "bad.csv", type);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.reason).toBe(reason);
    }
    const { rows: after } = await db().execute<{ n: number }>(sql`select count(*)::int as n from payment_import`);
    expect(after[0].n).toBe(before[0].n);
  });

  it("a mapping that does not fit the file is a 422 naming the field", async () => {
    const up = await upload(cp1251("ЛС;Дата;Сумма\n100001;01.05.2025;1,00\n"));
    const res = await api("PUT", `/api/payment-imports/${up.body.id}/mapping`, { account_number: "ЛС", paid_on: 7, amount: "ЛС" });
    expect(res.status).toBe(422);
    expect(res.body.error.field_reasons).toMatchObject({ paid_on: { reason: "unknown_column" }, amount: { reason: "column_reused" } });
    expect((await api("GET", `/api/payment-imports/${up.body.id}`)).body.status).toBe("uploaded");
  });

  it("lists a workspace's imports newest first", async () => {
    const res = await api("GET", `/api/payment-imports?workspace_id=${me.workspaceId}`);
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i: { id: number }) => i.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    expect(res.body.total).toBe(ids.length);
  });
});

describe("a big file through the job", () => {
  it("is checked by a worker with progress up to the total, then committed", async () => {
    const N = 6_000;
    const accounts = Object.keys(apartments);
    const lines = ["ID;ЛС;Дата;Сумма"];
    for (let i = 1; i <= N; i++) lines.push(`BIG-${i};${accounts[i % 3]};10.06.2025;${i % 100},${String(i % 100).padStart(2, "0")}`);
    // line N+1 repeats line 2's id
    lines.push(`BIG-1;100001;10.06.2025;1,00`);
    const up = await upload(cp1251(lines.join("\n")));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const worker = await startWorker({ BILLING_CHUNK_PAUSE_MS: "50" });
    const mapped = await api("PUT", `/api/payment-imports/${up.body.id}/mapping`, up.body.suggested_mapping);
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(202);
    expect(mapped.body).toMatchObject({ status: "parsing", rows_total: N + 1, rows_done: 0 });

    const seen: number[] = [];
    const done = await until(
      async () => {
        const res = await api("GET", `/api/payment-imports/${up.body.id}`);
        seen.push(res.body.rows_done);
        return res.body.status === "parsing" ? null : res.body;
      },
      "the import to be checked",
      60_000,
      tails([worker]),
    );
    expect(done).toMatchObject({ status: "previewed", rows_total: N + 1, rows_done: N + 1, percent: 100, rows_duplicate: 1 });
    // i % 100 = 0 → "0,00": not positive
    expect(done.rows_error).toBe(N / 100);
    expect(done.rows_ok).toBe(N - N / 100);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(await ledgerPayments(up.body.id)).toEqual([]);

    const committed = await api("POST", `/api/payment-imports/${up.body.id}/commit`);
    expect(committed.body).toMatchObject({ status: "committed", rows_ok: N - N / 100 });
    const { rows } = await db().execute<{ n: number; total: string }>(
      sql`select count(*)::int as n, sum(amount)::text as total from ledger_entry where import_id = ${up.body.id}`,
    );
    let expected = 0n;
    for (let i = 1; i <= N; i++) if (i % 100 !== 0) expected += BigInt((i % 100) * 100 + (i % 100));
    expect(rows[0]).toEqual({ n: N - N / 100, total: `-${expected / 100n}.${String(expected % 100n).padStart(2, "0")}` });
  });
});
