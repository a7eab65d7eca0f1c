import { MEMBER_ROLES, type MemberRole } from "../constants";

// Who may do what (issue 15). Every operation names one of these sets in its definition
// (lib/api/operations/*.ts); the route wrapper enforces it and the OpenAPI document shows it.
// Pure, so that the pages hide what a role cannot do by the same sets.

export const ROLES = {
  /** the register and the month's state: every member */
  read: ["owner", "accountant", "operator", "viewer"],
  /** prices, invoices, runs: everything a manager sees, not the operator (who reads the register only) */
  readBilling: ["owner", "accountant", "viewer"],
  /** readings: the operator's one write */
  enterReadings: ["owner", "accountant", "operator"],
  /** the register, prices, billing and posting */
  manage: ["owner", "accountant"],
  /** members, API keys, reopening a posted month */
  owner: ["owner"],
} as const satisfies Record<string, readonly MemberRole[]>;

/** Whether the role is one of the set. */
export const can = (role: MemberRole | null | undefined, roles: readonly MemberRole[]): boolean => !!role && roles.includes(role);

/** The roles from the most allowed down: an API key's role is never above its maker's. */
export const roleRank = (role: MemberRole): number => MEMBER_ROLES.indexOf(role);
