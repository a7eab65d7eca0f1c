import { sql } from "drizzle-orm";
import writeXlsxFile from "write-excel-file/node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getRejected } from "../app/api/reading-imports/[id]/rejected/route";
import { parseMonth, parseReading, parseService } from "../lib/reading-import/check-rows";
import { env } from "../lib/env";
import { addMonths, currentMonth } from "../lib/months";
import { encodeCp1251 as cp1251 } from "../scripts/lib/cp1251";
import { api } from "./helpers/api";
import { signIn, testPerson, type TestPerson } from "./helpers/auth";
import { db } from "./helpers/db";
import { createApartment, createHouse, createMeter, putReading } from "./helpers/fixtures";
import { until } from "./helpers/wait";
import { killWorkers, startWorker, tails } from "./helpers/worker";

// The import of meter readings from a file (issue 18) through the real routes on a real
// database: upload → mapping and preview → commit; CSV in both encodings and every delimiter,
// XLSX, every kind of bad row, and a big file through the pg-boss job and a worker.

afterEach(killWorkers);

let me: TestPerson;
let houseA: number;
/** serial → meter id */
const meters: Record<string, number> = {};
/** the current month and the ones around it, YYYY-MM */
const C = currentMonth(env().APP_TIMEZONE);
const M = (delta: number) => addMonths(C, delta);
/** MM.YYYY, as a controller's file writes a month */
const dotted = (month: string) => `${month.slice(5)}.${month.slice(0, 4)}`;

const toBody = (bytes: Buffer) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

async function upload(bytes: Buffer, query = "", contentType = "text/csv", token?: string) {
  return api("POST", `/api/reading-imports?workspace_id=${me.workspaceId}${query}`, undefined, {
    rawBody: toBody(bytes),
    headers: { "content-type": contentType },
    token,
  });
}

async function allRows(id: number, status?: string) {
  const res = await api("GET", `/api/reading-imports/${id}/rows?limit=1000${status ? `&status=${status}` : ""}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

/** line → [status, reason] */
const verdicts = (rows: Array<Record<string, any>>) => Object.fromEntries(rows.map((r) => [r.line, [r.status, r.reason]]));

async function readingsOf(serial: string) {
  const { rows } = await db().execute<Record<string, unknown>>(sql`
    select to_char(period, 'YYYY-MM') as period, value::text, source, sent_by_person_id, import_id from meter_reading
    where meter_id = ${meters[serial]} order by period`);
  return rows;
}

async function workspaceReadingCount() {
  const { rows } = await db().execute<{ n: number }>(
    sql`select count(*)::int as n from meter_reading r join meter m on m.id = r.meter_id where m.workspace_id = ${me.workspaceId}`,
  );
  return rows[0].n;
}

/** The rejected rows' file as its bytes say (api()'s text() would drop the BOM). */
async function rejectedCsv(id: number, lang: string) {
  const request = new Request(`http://localhost/api/reading-imports/${id}/rejected?lang=${lang}`, {
    headers: { authorization: `Bearer ${me.token}` },
  });
  const response = await getRejected(request, { params: Promise.resolve({ id: String(id) }) });
  const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

beforeAll(async () => {
  me = await testPerson();
  houseA = (await createHouse("ул. Счётная, 1")).id;
  const apartment: Record<string, number> = {};
  for (const n of ["1", "2", "3"]) {
    apartment[n] = (await createApartment(houseA, { number: n })).id;
    await db().execute(sql`update apartment set account_number = ${`20000${n}`} where id = ${apartment[n]}`);
  }
  const meter = async (serial: string, apt: number, service = "cold_water") =>
    (meters[serial] = (await createMeter(apt, { serial_number: serial, service })).id);
  await meter("SN-A1", apartment["1"]);
  await meter("SN-A1H", apartment["1"], "hot_water");
  await meter("SN-B", apartment["2"]);
  await meter("SN-B2H", apartment["2"], "hot_water");
  await meter("SN-C1", apartment["3"]);
  await meter("SN-C2", apartment["3"]);
  // SN-A1: 1 m³ a month; SN-B: 50 before the month, 60 after it; SN-A1H has the month's 5 already
  for (const [serial, delta, value] of [
    ["SN-A1", -4, "10"],
    ["SN-A1", -3, "11"],
    ["SN-A1", -2, "12"],
    ["SN-B", -2, "50"],
    ["SN-B", 0, "60"],
    ["SN-B2H", -4, "100"],
    ["SN-B2H", -3, "101"],
    ["SN-B2H", -2, "102"],
    ["SN-A1H", -1, "5"],
  ] as const) {
    await putReading(meters[serial], M(delta), value);
  }
  // a second house whose month before this one is posted
  const houseZ = (await createHouse("ул. Закрытая, 2")).id;
  await meter("SN-Z", (await createApartment(houseZ, { number: "1" })).id);
  await db().execute(sql`insert into house_month (house_id, period) values (${houseZ}, ${`${M(-1)}-01`}::date)`);
});

describe("reading a readings file's cells", () => {
  it("takes values with a comma or a point, spaces between thousands, and refuses the rest", () => {
    expect(parseReading("1 234,5")).toEqual({ value: "1234.500" });
    expect(parseReading("0012.10")).toEqual({ value: "12.100" });
    expect(parseReading("12.3450")).toEqual({ value: "12.345" });
    expect(parseReading("1,2345")).toEqual({ reason: "value_too_precise" });
    expect(parseReading("-1")).toEqual({ reason: "value_out_of_range" });
    expect(parseReading("1000000000")).toEqual({ reason: "value_out_of_range" });
    expect(parseReading("999999999,999")).toEqual({ value: "999999999.999" });
    expect(parseReading("12a")).toEqual({ reason: "value_invalid" });
    expect(parseMonth("03.2025")).toBe("2025-03-01");
    expect(parseMonth("2025-03-15")).toBe("2025-03-01");
    expect(parseMonth("март")).toBeNull();
    expect(parseService("ХВС")).toBe("cold_water");
    expect(parseService("Горячая вода")).toBe("hot_water");
    expect(parseService("hot_water")).toBe("hot_water");
    expect(parseService("электричество")).toBeNull();
  });
});

describe("upload, preview, commit", () => {
  // One line of every kind, `;` and decimal commas, UTF-8: hand-computed verdicts below.
  const BAD_ROWS = () =>
    [
      "Счётчик;Показание;Месяц",
      `SN-A1;12,5;${dotted(M(-1))}`, // 2 ok: 12 before, 1 m³ a month
      `SN-A1H;7;${dotted(M(-1))}`, // 3 ok, replaces 5.000
      `SN-NONE;1;${dotted(M(-1))}`, // 4 meter_unknown
      `SN-B;abc;${dotted(M(-1))}`, // 5 value_invalid
      `SN-B;1,2345;${dotted(M(-1))}`, // 6 value_too_precise
      `SN-B;-1;${dotted(M(-1))}`, // 7 value_out_of_range
      `SN-B;45;${dotted(M(-1))}`, // 8 reading_below_previous (50)
      `SN-B;70;${dotted(M(-1))}`, // 9 reading_above_next (60)
      `SN-Z;1;${dotted(M(-1))}`, // 10 month_closed
      `SN-B;55;${dotted(M(1))}`, // 11 period_in_future
      `SN-A1;13;${dotted(M(-1))}`, // 12 repeated_in_file (line 2)
      `SN-B;55;13.2025`, // 13 period_invalid
      `SN-B;55;${dotted(M(-1))}`, // 14 ok: between 50 and 60 (lines 8 and 9 are not imported)
      `SN-B2H;130;${dotted(M(-1))}`, // 15 warning: 28 m³ where 1 is usual
      `;5;${dotted(M(-1))}`, // 16 value_missing (the serial)
      `SN-B`, // 17 columns_missing
    ].join("\n");

  let committedId: number;

  it("previews every kind of bad row, writes nothing until confirmed, then imports the ok and warning rows", async () => {
    const before = await workspaceReadingCount();
    const up = await upload(Buffer.from(BAD_ROWS()), "&file_name=bad.csv");
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      status: "uploaded",
      format: "csv",
      encoding: "utf-8",
      delimiter: ";",
      columns: ["Счётчик", "Показание", "Месяц"],
      rows_total: 16,
      suggested_from: "guessed",
      suggested_mapping: { serial_number: 0, value: 1, period: 2 },
    });

    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: "Счётчик", value: 1, period: "Месяц" });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    expect(mapped.body).toMatchObject({ status: "previewed", rows_total: 16, rows_ok: 3, rows_warning: 1, rows_error: 12, percent: 100 });
    const rows = await allRows(up.body.id);
    expect(verdicts(rows)).toEqual({
      2: ["ok", null],
      3: ["ok", null],
      4: ["error", "meter_unknown"],
      5: ["error", "value_invalid"],
      6: ["error", "value_too_precise"],
      7: ["error", "value_out_of_range"],
      8: ["error", "reading_below_previous"],
      9: ["error", "reading_above_next"],
      10: ["error", "month_closed"],
      11: ["error", "period_in_future"],
      12: ["error", "repeated_in_file"],
      13: ["error", "period_invalid"],
      14: ["ok", null],
      15: ["warning", "suspicious_jump"],
      16: ["error", "value_missing"],
      17: ["error", "columns_missing"],
    });
    const byLine = Object.fromEntries(rows.map((r) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ meter_id: meters["SN-A1"], serial_number: "SN-A1", service: "cold_water", apartment_number: "1" });
    expect(byLine[2]).toMatchObject({ house_id: houseA, period: M(-1), value: "12.500", replaces_value: null });
    expect(byLine[3]).toMatchObject({ value: "7.000", replaces_value: "5.000" });
    expect(byLine[8].params).toEqual({ value: "45.000", previous: "50.000", period: M(-2) });
    expect(byLine[9].params).toEqual({ value: "70.000", next: "60.000", period: C });
    expect(byLine[12].params).toEqual({ line: 2 });
    expect(byLine[15]).toMatchObject({ value: "130.000", params: { use: "28.000", expected: "1.000" } });
    expect((await allRows(up.body.id, "warning")).map((r) => r.line)).toEqual([15]);

    // nothing is written before the confirmation
    expect(await workspaceReadingCount()).toBe(before);

    const rejected = await rejectedCsv(up.body.id, "en");
    expect(rejected.status).toBe(200);
    expect(rejected.body.startsWith("\uFEFFLine;Reason;Message\r\n")).toBe(true);
    const lines = rejected.body.slice(1).trimEnd().split("\r\n");
    expect(lines.map((l) => l.split(";").slice(0, 2).join(";"))).toEqual([
      "Line;Reason",
      "4;meter_unknown",
      "5;value_invalid",
      "6;value_too_precise",
      "7;value_out_of_range",
      "8;reading_below_previous",
      "9;reading_above_next",
      "10;month_closed",
      "11;period_in_future",
      "12;repeated_in_file",
      "13;period_invalid",
      "16;value_missing",
      "17;columns_missing",
    ]);
    expect(lines[5]).toBe(`8;reading_below_previous;45.000 is lower than the previous reading 50.000 of ${M(-2)};SN-B;45;${dotted(M(-1))}`);
    const ru = await rejectedCsv(up.body.id, "ru");
    expect(ru.body).toContain("Строка;Причина;Пояснение");
    expect(ru.body).toContain("4;meter_unknown;Счётчик не найден. (no meter has the serial number SN-NONE);SN-NONE;1;");

    const committed = await api("POST", `/api/reading-imports/${up.body.id}/commit`);
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body).toMatchObject({
      status: "committed",
      rows_ok: 3,
      rows_warning: 1,
      rows_error: 12,
      committed_by_id: me.personId,
    });
    expect(committed.body.columns).toBeNull();
    expect(await workspaceReadingCount()).toBe(before + 3); // three new, one replaced
    const origin = { source: "import", sent_by_person_id: me.personId, import_id: up.body.id };
    expect((await readingsOf("SN-A1")).at(-1)).toEqual({ period: M(-1), value: "12.500", ...origin });
    expect(await readingsOf("SN-A1H")).toEqual([{ period: M(-1), value: "7.000", ...origin }]);
    expect((await readingsOf("SN-B")).map((r) => r.value)).toEqual(["50.000", "55.000", "60.000"]);
    expect((await readingsOf("SN-B2H")).at(-1)).toMatchObject({ value: "130.000", source: "import" });
    // the import is recorded once, as committed
    const { rows: history } = await db().execute<{ action: string; status: string }>(
      sql`select action::text, after->>'status' as status from history where entity = 'reading_import' and entity_id = ${String(up.body.id)}`,
    );
    expect(history).toEqual([{ action: "update", status: "committed" }]);
    committedId = up.body.id;

    const again = await api("POST", `/api/reading-imports/${up.body.id}/commit`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ reason: "reading_import_not_previewed", params: { status: "committed" } });
  });

  it("remembers the mapping for the workspace's next file with the same columns", async () => {
    expect(committedId).toBeDefined();
    const up = await upload(Buffer.from(`Месяц;Показание;Счётчик\n${dotted(M(-1))};13;SN-A1\n`));
    expect(up.body).toMatchObject({ suggested_from: "remembered", suggested_mapping: { serial_number: 2, value: 1, period: 0 } });
    const list = await api("GET", `/api/reading-imports?workspace_id=${me.workspaceId}`);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: up.body.id, status: "uploaded" });
    expect((await api("DELETE", `/api/reading-imports/${up.body.id}`)).status).toBe(204);
    expect((await api("GET", `/api/reading-imports/${up.body.id}`)).body).toMatchObject({ status: "discarded", columns: null });
    expect((await api("DELETE", `/api/reading-imports/${up.body.id}`)).status).toBe(409);
  });

  it("a UTF-8 tab file by account number and service, with the month chosen on upload and decimal points", async () => {
    const file = [
      "ЛС\tУслуга\tПоказание",
      "200001\tХВС\t12.8",
      "200001\tгорячая вода\t7.25",
      "200003\tХВС\t1",
      "200009\tХВС\t1",
      "200002\tэлектричество\t1",
    ];
    const up = await upload(Buffer.from(`\uFEFF${file.join("\r\n")}`), `&period=${M(-1)}`);
    expect(up.body).toMatchObject({ encoding: "utf-8", delimiter: "\t", period: M(-1) });
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { account_number: 0, service: 1, value: 2 });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    const rows = await allRows(up.body.id);
    expect(verdicts(rows)).toEqual({
      2: ["ok", null],
      3: ["ok", null],
      4: ["error", "meter_ambiguous"],
      5: ["error", "apartment_unknown"],
      6: ["error", "service_unknown"],
    });
    // the first import's values are what these replace
    expect(rows.slice(0, 2).map((r) => [r.serial_number, r.period, r.value, r.replaces_value])).toEqual([
      ["SN-A1", M(-1), "12.800", "12.500"],
      ["SN-A1H", M(-1), "7.250", "7.000"],
    ]);
    expect(rows[2].params).toEqual({ apartment: "200003", service: "cold_water", count: 2 });
  });

  it("a cp1251 `,` file by apartment number and service in a house, a quoted decimal comma", async () => {
    const file = ["Кв,Услуга,Показание,Месяц", `1,ГВС,"7,5",${dotted(M(-1))}`, `2,ХВС,"56,125",`, `9,ХВС,1,${dotted(M(-1))}`].join("\r\n");
    const up = await upload(cp1251(file));
    expect(up.body).toMatchObject({ encoding: "windows-1251", delimiter: ",", columns: ["Кв", "Услуга", "Показание", "Месяц"] });
    const unmapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, {
      apartment_number: 0,
      service: 1,
      value: 2,
      period: 3,
    });
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.error.fields).toHaveProperty("house_id");
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, {
      apartment_number: "Кв",
      service: "Услуга",
      value: "Показание",
      period: "Месяц",
      house_id: houseA,
    });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    expect(mapped.body).toMatchObject({ house_id: houseA, mapping: { apartment_number: 0, service: 1, value: 2, period: 3 } });
    const rows = await allRows(up.body.id);
    // line 3 names no month and none was chosen
    expect(verdicts(rows)).toEqual({ 2: ["ok", null], 3: ["error", "period_missing"], 4: ["error", "apartment_unknown"] });
    expect(rows[0]).toMatchObject({ serial_number: "SN-A1H", value: "7.500", replaces_value: "7.000" });
  });

  it("an XLSX workbook: numbers as the cells store them, a date cell as the month, rows numbered as the sheet's", async () => {
    const xlsx = await writeXlsxFile(
      [
        ["Заводской номер", "Показание", "Месяц", "Примечание"],
        ["SN-B", 57.125, new Date(Date.UTC(Number(M(-1).slice(0, 4)), Number(M(-1).slice(5)) - 1, 1)), 'со слов "жильца";\nпроверить'],
        ["SN-A1", 12.9, dotted(M(-1)), null],
        [null, null, null, null], // an empty row: the next one is still the sheet's row 5
        ["SN-C1", 1.23456, dotted(M(-1)), null],
      ],
      { dateFormat: "mm.yyyy" },
    ).toBuffer();
    const up = await upload(xlsx, "&file_name=readings.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      format: "xlsx",
      encoding: null,
      delimiter: null,
      columns: ["Заводской номер", "Показание", "Месяц", "Примечание"],
      rows_total: 3,
      suggested_mapping: { serial_number: 0, value: 1, period: 2 },
    });
    // a cell's line break reads as a space; its quotes and `;` stay as they are
    expect(up.body.sample[0]).toEqual(["SN-B", "57.125", `${M(-1)}-01`, 'со слов "жильца"; проверить']);
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, up.body.suggested_mapping);
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    const rows = await allRows(up.body.id);
    expect(rows.map((r) => [r.line, r.status, r.reason, r.value, r.replaces_value])).toEqual([
      [2, "ok", null, "57.125", "55.000"],
      [3, "ok", null, "12.900", "12.500"],
      [5, "error", "value_too_precise", null, null],
    ]);
    const rejected = await rejectedCsv(up.body.id, "en");
    expect(rejected.body.slice(1).trimEnd().split("\r\n")[1]).toBe(
      `5;value_too_precise;"the value ""1.23456"" has more than 3 decimals";SN-C1;1.23456;${dotted(M(-1))};`,
    );
  });

  it("keeps a meter counting up across the file's own months, whichever order it lists them in", async () => {
    const house = (await createHouse("ул. Порядковая, 3")).id;
    meters["SN-ORD"] = (await createMeter((await createApartment(house, { number: "1" })).id, { serial_number: "SN-ORD" })).id;
    const file = [
      "Счётчик;Показание;Месяц",
      `SN-ORD;20;${dotted(M(-3))}`, // 2 ok: the meter's first reading
      `SN-ORD;25;${dotted(M(-1))}`, // 3 ok: above line 2's 20
      `SN-ORD;18;${dotted(M(-2))}`, // 4 reading_below_previous: line 2's 20 of M(-3)
      `SN-ORD;30;${dotted(M(-2))}`, // 5 reading_above_next: line 3's 25 of M(-1)
      `SN-ORD;22;${dotted(M(-2))}`, // 6 ok: between 20 and 25
      `SN-ORD;24;${dotted(M(-4))}`, // 7 reading_above_next: line 2's 20 of M(-3), listed after it
    ].join("\n");
    const up = await upload(Buffer.from(file));
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: 0, value: 1, period: 2 });
    expect(mapped.body).toMatchObject({ status: "previewed", rows_ok: 3, rows_warning: 0, rows_error: 3 });
    const rows = await allRows(up.body.id);
    expect(verdicts(rows)).toEqual({
      2: ["ok", null],
      3: ["ok", null],
      4: ["error", "reading_below_previous"],
      5: ["error", "reading_above_next"],
      6: ["ok", null],
      7: ["error", "reading_above_next"],
    });
    const byLine = Object.fromEntries(rows.map((r) => [r.line, r]));
    expect(byLine[4].params).toEqual({ value: "18.000", previous: "20.000", period: M(-3) });
    expect(byLine[5].params).toEqual({ value: "30.000", next: "25.000", period: M(-1) });
    expect(byLine[7].params).toEqual({ value: "24.000", next: "20.000", period: M(-3) });

    expect((await api("POST", `/api/reading-imports/${up.body.id}/commit`)).status).toBe(200);
    expect((await readingsOf("SN-ORD")).map((r) => [r.period, r.value])).toEqual([
      [M(-3), "20.000"],
      [M(-2), "22.000"],
      [M(-1), "25.000"],
    ]);
  });

  it("a file with an error on every row imports nothing, and says so", async () => {
    const up = await upload(Buffer.from(`Счётчик;Показание\nSN-NONE;1\nSN-A1;x\n`), `&period=${M(-1)}`);
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: 0, value: 1 });
    expect(mapped.body).toMatchObject({ status: "previewed", rows_ok: 0, rows_warning: 0, rows_error: 2 });
    const before = await workspaceReadingCount();
    const commit = await api("POST", `/api/reading-imports/${up.body.id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body.error).toMatchObject({ code: "conflict", reason: "reading_import_nothing_to_import", params: { rows: 2 } });
    expect(await workspaceReadingCount()).toBe(before);
    expect((await api("GET", `/api/reading-imports/${up.body.id}`)).body.status).toBe("previewed");
  });

  it("refuses a commit whose preview a reading entered since has made stale", async () => {
    const up = await upload(Buffer.from(`Счётчик;Показание\nSN-C1;3\n`), `&period=${M(-1)}`);
    await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: 0, value: 1 });
    expect((await allRows(up.body.id))[0]).toMatchObject({ status: "ok", replaces_value: null });
    await putReading(meters["SN-C1"], M(-2), "4"); // now higher than the file's 3
    const commit = await api("POST", `/api/reading-imports/${up.body.id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body.error).toMatchObject({ reason: "reading_import_stale", params: { rows: 1 } });
    expect(await readingsOf("SN-C1")).toEqual([expect.objectContaining({ period: M(-2), value: "4.000" })]);
    // mapped again, it is checked anew
    const again = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: 0, value: 1 });
    expect(again.body).toMatchObject({ rows_ok: 0, rows_error: 1 });
  });

  it("refuses what cannot be read, and other workspaces' imports are not found", async () => {
    const empty = await upload(Buffer.from(""));
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ reason: "import_file_unreadable", params: { problem: "empty" } });
    const oneColumn = await upload(Buffer.from("Счётчик\nSN-A1\n"));
    expect(oneColumn.body.error).toMatchObject({ reason: "import_file_unreadable", params: { problem: "no_columns" } });
    const brokenZip = await upload(Buffer.from("PK\u0003\u0004not really a workbook"));
    expect(brokenZip.body.error).toMatchObject({ reason: "import_file_unreadable", params: { problem: "sheet" } });
    const pdf = await upload(Buffer.from("x;y\n1;2"), "", "application/pdf");
    expect(pdf.status).toBe(415);

    const other = await signIn("+79990000077");
    const theirs = await api("GET", `/api/reading-imports/${committedId}`, undefined, { token: other.token });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.reason).toBe("reading_import_not_found");
  });
});

describe("a big file through the job", () => {
  it("is checked by a worker with progress up to the total, then committed", async () => {
    const N = 6_000;
    const house = (await createHouse("ул. Большая, 3")).id;
    const apartmentId = (await createApartment(house, { number: "1" })).id;
    await db().execute(sql`
      insert into meter (apartment_id, workspace_id, serial_number, service)
      select ${apartmentId}, ${me.workspaceId}, 'BIG-' || i, 'cold_water' from generate_series(1, ${N}) i`);
    const lines = ["Счётчик;Показание"];
    // every 100th is not a number
    for (let i = 1; i <= N; i++) lines.push(`BIG-${i};${i % 100 === 0 ? "x" : `${i},5`}`);
    const up = await upload(cp1251(lines.join("\n")), `&period=${M(-1)}`);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const worker = await startWorker({ BILLING_CHUNK_PAUSE_MS: "50" });
    const mapped = await api("PUT", `/api/reading-imports/${up.body.id}/mapping`, { serial_number: 0, value: 1 });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(202);
    expect(mapped.body).toMatchObject({ status: "parsing", rows_total: N, rows_done: 0, columns: null });

    const seen: number[] = [];
    const done = await until(
      async () => {
        const res = await api("GET", `/api/reading-imports/${up.body.id}`);
        seen.push(res.body.rows_done);
        return res.body.status === "parsing" ? null : res.body;
      },
      "the import to be checked",
      60_000,
      tails([worker]),
    );
    expect(done).toMatchObject({
      status: "previewed",
      rows_total: N,
      rows_done: N,
      percent: 100,
      rows_ok: N - N / 100,
      rows_error: N / 100,
    });
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    const { rows: none } = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from meter_reading where import_id = ${up.body.id}`,
    );
    expect(none[0].n).toBe(0);

    const committed = await api("POST", `/api/reading-imports/${up.body.id}/commit`);
    expect(committed.body).toMatchObject({ status: "committed", rows_ok: N - N / 100 });
    const { rows } = await db().execute<{ n: number; total: string }>(
      sql`select count(*)::int as n, sum(value)::text as total from meter_reading where import_id = ${up.body.id} and source = 'import'`,
    );
    let expected = 0;
    for (let i = 1; i <= N; i++) if (i % 100 !== 0) expected += i;
    expect(rows[0]).toEqual({ n: N - N / 100, total: `${expected + (N - N / 100) / 2}.000` });
  });
});
