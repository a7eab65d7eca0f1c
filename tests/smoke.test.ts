import { describe, expect, it } from "vitest";
import { api } from "./helpers/api";

describe("harness", () => {
  it("starts each file on a migrated, empty register", async () => {
    const res = await api("GET", "/api/houses");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });
});
