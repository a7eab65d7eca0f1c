/** A price or a normative: a row in force from its month, for a house or its whole workspace. */
interface Dated {
  workspace_id: number;
  house_id: number | null;
  valid_from: string;
}

export type TariffState = "inForce" | "upcoming" | "earlier";

export interface ScopeGroup<T extends Dated = Dated> {
  key: string;
  workspaceId: number;
  /** null: the workspace default, for every house without a price of its own */
  houseId: number | null;
  /** newest first, each with its state in `month` */
  rows: { tariff: T; state: TariffState }[];
}

/**
 * A service's price history by scope (workspace defaults first, then houses in the given
 * order), newest first. In each scope the latest price from `month` or before is in force;
 * later ones are upcoming, earlier ones are history.
 */
export function groupHistory<T extends Dated>(tariffs: T[], month: string, houseOrder: (houseId: number) => number): ScopeGroup<T>[] {
  const groups = new Map<string, ScopeGroup<T>>();
  for (const tariff of tariffs) {
    const key = `${tariff.workspace_id}:${tariff.house_id ?? "*"}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, workspaceId: tariff.workspace_id, houseId: tariff.house_id, rows: [] }));
    group.rows.push({ tariff, state: "earlier" });
  }
  for (const group of groups.values()) {
    group.rows.sort((a, b) => b.tariff.valid_from.localeCompare(a.tariff.valid_from));
    let found = false;
    for (const row of group.rows) {
      if (row.tariff.valid_from > month) row.state = "upcoming";
      else if (!found) {
        row.state = "inForce";
        found = true;
      }
    }
  }
  const rank = (g: ScopeGroup<T>) => (g.houseId === null ? -1 : houseOrder(g.houseId));
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.workspaceId - b.workspaceId || (a.houseId ?? 0) - (b.houseId ?? 0));
}
