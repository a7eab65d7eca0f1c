import { describe, expect, it } from "vitest";
import { GET } from "../app/api/houses/[id]/invoices/csv/route";
import { api } from "./helpers/api";
import { signIn, testPerson } from "./helpers/auth";
import { billInline } from "./helpers/billing";

// GET /api/houses/:id/invoices/csv: the month's invoice lines as a file for Russian Excel.
// api() parses JSON bodies, so the route's handler is called directly here.

async function csv(houseId: number, query: string, token?: string) {
  const request = new Request(`http://localhost/api/houses/${houseId}/invoices/csv?${query}`, {
    headers: { authorization: `Bearer ${token ?? (await testPerson()).token}` },
  });
  const response = await GET(request, { params: Promise.resolve({ id: String(houseId) }) });
  // text() would drop the BOM: read the bytes as they are.
  const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

async function created<T = any>(url: string, body: unknown): Promise<T> {
  const res = await api<T>("POST", url, body);
  expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
  return res.body;
}

async function reading(meterId: number, period: string, value: string) {
  const res = await api("PUT", `/api/meters/${meterId}/readings/${period}`, { value });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

/**
 * One house billed for 2024-04 (test person's workspace; its prices are the only ones there):
 * - apartment 1, 50.00 m²: cold meter `CW;1 "kitchen"` 100.000 → 112.500 = 12.500 m³ × 47.12 (house price) = 589.00;
 *   hot meter 50.000 → 53.250 = 3.250 m³ × 210.33 = 683.5725 → 683.57; wastewater (12.500 + 3.250) = 15.750 × 30.00 = 472.50;
 *   maintenance 50.00 × 28.91 = 1445.50
 * - apartment "=2", 72.50 m²: cold meter with no April reading and no history for an average, no one registered: the
 *   normative gives 0 (flagged); wastewater 0; maintenance 72.50 × 28.91 = 2095.975 → 2095.98
 */
async function billedHouse() {
  const address = 'ул. Ленина; д. 5 "Б"';
  const house = await created<{ id: number }>("/api/houses", { address });
  await created("/api/tariffs", { service: "cold_water", price: "45.50", valid_from: "2024-01" });
  await created("/api/tariffs", { service: "hot_water", price: "210.33", valid_from: "2024-01" });
  await created("/api/tariffs", { service: "wastewater", price: "30.00", valid_from: "2024-01" });
  await created("/api/tariffs", { service: "maintenance", price: "28.91", valid_from: "2024-01" });
  await created("/api/tariffs", { service: "cold_water", price: "47.12", valid_from: "2024-03", house_id: house.id });

  const one = await created<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "50.00" });
  const cold = await created<{ id: number }>(`/api/apartments/${one.id}/meters`, {
    serial_number: 'CW;1 "kitchen"',
    service: "cold_water",
  });
  const hot = await created<{ id: number }>(`/api/apartments/${one.id}/meters`, { serial_number: "HW-1", service: "hot_water" });
  await reading(cold.id, "2024-03", "100.000");
  await reading(cold.id, "2024-04", "112.500");
  await reading(hot.id, "2024-03", "50");
  await reading(hot.id, "2024-04", "53.25");

  const two = await created<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "=2", area: "72.50" });
  const silent = await created<{ id: number }>(`/api/apartments/${two.id}/meters`, { serial_number: "CW-2", service: "cold_water" });
  await reading(silent.id, "2024-03", "7.000");

  const run = await api("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-04" });
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  await billInline(run.body.id);
  return { houseId: house.id, address };
}

let house: Promise<{ houseId: number; address: string }> | undefined;
const sharedHouse = () => (house ??= billedHouse());

describe("GET /api/houses/:id/invoices/csv", () => {
  it("answers a UTF-8 CSV with a BOM as an attachment named after the house and month", async () => {
    const { houseId } = await sharedHouse();

    const res = await csv(houseId, "period=2024-04");

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="invoices-${houseId}-2024-04.csv"`);
    expect(res.body.startsWith("\uFEFF")).toBe(true);
    expect(res.body.endsWith("\r\n")).toBe(true);
  });

  it("has one row per invoice line with the stored decimals (decimal commas), escaping semicolons and quotes", async () => {
    const { houseId } = await sharedHouse();

    const res = await csv(houseId, "period=2024-04");
    const rows = res.body.slice(1).split("\r\n").slice(0, -1);

    const address = '"ул. Ленина; д. 5 ""Б"""';
    const cw1 = '"CW;1 ""kitchen"": 2024-03 100,000 → 2024-04 112,500 = 12,500';
    // a cell with a semicolon is quoted
    const cw2 = '"CW-2: 2024-03 7,000 → — = 0,000 (никто не зарегистрирован: 0 м³; 1-й месяц без показаний)"';
    expect(rows).toEqual([
      "Адрес дома;Месяц;Квартира;Услуга;Количество;Ед. изм.;Цена за ед., ₽;Сумма, ₽;Тариф с;Тариф;Отметки;Счётчики: показания и расход;" +
        "Холодная вода, ₽;Горячая вода, ₽;Водоотведение, ₽;Содержание жилья, ₽",
      `${address};2024-04;1;Холодная вода;12,500;м³;47,1200;589,00;2024-03;цена дома;;${cw1}";589,00;;;`,
      `${address};2024-04;1;Горячая вода;3,250;м³;210,3300;683,57;2024-01;цена по фонду;;HW-1: 2024-03 50,000 → 2024-04 53,250 = 3,250;;683,57;;`,
      `${address};2024-04;1;Водоотведение;15,750;м³;30,0000;472,50;2024-01;цена по фонду;;${cw1}, HW-1: 2024-03 50,000 → 2024-04 53,250 = 3,250";;;472,50;`,
      `${address};2024-04;1;Содержание жилья;50,00;м²;28,9100;1445,50;2024-01;цена по фонду;;;;;;1445,50`,
      // "=2" would be a formula in Excel: it is kept as text
      `${address};2024-04;'=2;Холодная вода;0,000;м³;47,1200;0,00;2024-03;цена дома;по нормативу;${cw2};0,00;;;`,
      `${address};2024-04;'=2;Водоотведение;0,000;м³;30,0000;0,00;2024-01;цена по фонду;по нормативу;${cw2};;;0,00;`,
      `${address};2024-04;'=2;Содержание жилья;72,50;м²;28,9100;2095,98;2024-01;цена по фонду;;;;;;2095,98`,
    ]);
  });

  it("writes English headers and names with decimal points for lang=en", async () => {
    const { houseId } = await sharedHouse();

    const res = await csv(houseId, "period=2024-04&lang=en");
    const rows = res.body.slice(1).split("\r\n");

    expect(rows[0]).toBe(
      "House;Month;Apartment;Service;Quantity;Unit;Price per unit, RUB;Amount, RUB;Price from;Price;Flags;Meters: readings and consumption;" +
        "Cold water, RUB;Hot water, RUB;Wastewater, RUB;Maintenance, RUB",
    );
    expect(rows[4]).toBe('"ул. Ленина; д. 5 ""Б""";2024-04;1;Maintenance;50.00;m²;28.9100;1445.50;2024-01;workspace price;;;;;;1445.50');
    expect(rows[5]).toBe(
      '"ул. Ленина; д. 5 ""Б""";2024-04;\'=2;Cold water;0.000;m³;47.1200;0.00;2024-03;house price;by the normative;' +
        '"CW-2: 2024-03 7.000 → — = 0.000 (no one registered: 0 m³; 1st month without a reading)";0.00;;;',
    );
  });

  it("gives the header row alone for a month without invoices", async () => {
    const { houseId } = await sharedHouse();

    const res = await csv(houseId, "period=2024-05");

    expect(res.status).toBe(200);
    expect(res.body.slice(1).split("\r\n")).toEqual([expect.stringMatching(/^Адрес дома;/), ""]);
  });

  it("answers 404 for another workspace's house, telling nothing about it", async () => {
    const { houseId } = await sharedHouse();
    const stranger = await signIn("+79990000777");

    const res = await csv(houseId, "period=2024-04", stranger.token);

    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "not_found", reason: "house_not_found", message: `house ${houseId} not found`, params: { id: houseId } },
    });
  });

  it("answers 422 for a bad or missing period, an unknown language or an unknown parameter", async () => {
    const { houseId } = await sharedHouse();

    for (const [query, field] of [
      ["period=2024-13", "period"],
      ["period=2024-4", "period"],
      ["", "period"],
      ["period=2024-04&lang=de", "lang"],
      ["period=2024-04&sep=,", "sep"],
    ]) {
      const res = await csv(houseId, query);
      expect(res.status, query).toBe(422);
      const body = JSON.parse(res.body);
      expect(body.error.code, query).toBe("validation_failed");
      expect(Object.keys(body.error.fields), query).toEqual([field]);
    }
  });

  it("carries the new lines: an average, then its true-up split into recalculation and charge, per-resident and fixed fees", async () => {
    await sharedHouse(); // the workspace's prices: cold 45.50, wastewater 30.00, maintenance 28.91
    await created("/api/services", { code: "solid_waste", name_ru: "Обращение с ТКО", name_en: "Solid waste", basis: "residents" });
    await created("/api/services", { code: "intercom", name_ru: "Домофон", name_en: "Intercom", basis: "apartment" });
    await created("/api/tariffs", { service: "solid_waste", price: "110.50", valid_from: "2024-01" });
    await created("/api/tariffs", { service: "intercom", price: "55", valid_from: "2024-01" });
    const house = await created<{ id: number }>("/api/houses", { address: "ул. Лесная, 7" });
    const flat = await created<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: "1", area: "40.00", residents: 2 });
    const meter = await created<{ id: number }>(`/api/apartments/${flat.id}/meters`, { serial_number: "T-1", service: "cold_water" });
    for (const [period, value] of [
      ["2023-11", "97"],
      ["2023-12", "100"],
      ["2024-01", "103"],
      ["2024-02", "106"],
      ["2024-04", "112"],
    ]) {
      await reading(meter.id, period, value);
    }
    for (const period of ["2024-03", "2024-04"]) {
      const run = await api("POST", `/api/houses/${house.id}/billing-runs`, { period });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      await billInline(run.body.id);
    }

    // March: L = Feb (106), R0 = Nov (97), n = 3: 9 / 3 = 3.000 × 45.50 = 136.50
    const march = (await csv(house.id, "period=2024-03")).body.slice(1).split("\r\n");
    expect(march[1]).toBe(
      "ул. Лесная, 7;2024-03;1;Холодная вода;3,000;м³;45,5000;136,50;2024-01;цена по фонду;по среднему;" +
        '"T-1: 2024-02 106,000 → — = 3,000 (среднее за 3 мес.: 3,000 м³; 1-й месяц без показаний)";136,50;;;;',
    );
    // April: (112 − 106) − 3.000 = 3.000: cold 136.50 = −136.50 + 273.00; wastewater 90.00 = −90.00 + 180.00;
    // solid waste 2 × 110.50 = 221.00; intercom 55.00; maintenance 40 × 28.91 = 1156.40
    const april = (await csv(house.id, "period=2024-04")).body.slice(1).split("\r\n");
    const t1 = '"T-1: 2024-02 106,000 → 2024-04 112,000 = 3,000 (перерасчёт: факт 6,000 − начислено по среднему 3,000)';
    expect(april).toEqual([
      "Адрес дома;Месяц;Квартира;Услуга;Количество;Ед. изм.;Цена за ед., ₽;Сумма, ₽;Тариф с;Тариф;Отметки;Счётчики: показания и расход;" +
        "Холодная вода, ₽;Водоотведение, ₽;Содержание жилья, ₽;Обращение с ТКО, ₽;Домофон, ₽",
      `ул. Лесная, 7;2024-04;1;Холодная вода;3,000;м³;45,5000;136,50;2024-01;цена по фонду;перерасчёт;${t1}; перерасчёт -136,50, за месяц 273,00";136,50;;;;`,
      `ул. Лесная, 7;2024-04;1;Водоотведение;3,000;м³;30,0000;90,00;2024-01;цена по фонду;перерасчёт;${t1}; перерасчёт -90,00, за месяц 180,00";;90,00;;;`,
      "ул. Лесная, 7;2024-04;1;Содержание жилья;40,00;м²;28,9100;1156,40;2024-01;цена по фонду;;;;;1156,40;;",
      "ул. Лесная, 7;2024-04;1;Обращение с ТКО;2;чел.;110,5000;221,00;2024-01;цена по фонду;;;;;;221,00;",
      "ул. Лесная, 7;2024-04;1;Домофон;1;кв.;55,0000;55,00;2024-01;цена по фонду;;;;;;;55,00",
      "",
    ]);
  });

  it("answers 401 without a credential", async () => {
    const { houseId } = await sharedHouse();
    const response = await GET(new Request(`http://localhost/api/houses/${houseId}/invoices/csv?period=2024-04`), {
      params: Promise.resolve({ id: String(houseId) }),
    });
    expect(response.status).toBe(401);
  });
});
