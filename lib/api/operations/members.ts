import * as accounts from "../../schemas/accounts";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Members";

export const listMembers = defineOperation({
  method: "GET",
  path: "/api/workspaces/{id}/members",
  operationId: "listMembers",
  tag,
  summary: "List the workspace's members",
  description:
    "Everyone in the workspace with their role, and the people who activated your invite code: `status` pending (awaiting your " +
    "decision; they see nothing of the workspace), active, or declined.",
  auth: "person",
  roles: ROLES.owner,
  params: registry.idParams,
  responses: { 200: { description: "the members, pending activations first", schema: out.memberList } },
});

export const updateMember = defineOperation({
  method: "PATCH",
  path: "/api/workspaces/{id}/members/{person_id}",
  operationId: "updateMember",
  tag,
  summary: "Admit, decline or change a member's role",
  description:
    '`{ "status": "active", "role": "accountant" }` admits a pending activation (or a declined one after all) with the role; ' +
    '`{ "status": "declined" }` turns a pending one down; `{ "role": "viewer" }` changes an active member\'s role.',
  auth: "person",
  roles: ROLES.owner,
  params: accounts.memberParams,
  body: accounts.updateMemberBody,
  responses: { 204: { description: "changed" } },
  errors: {
    404: "the workspace is not one of yours, or the person is not in it (member_not_found)",
    409:
      "member_not_pending: declining or admitting someone who is already a member; member_not_active: changing the role of a pending " +
      "or declined one; last_owner: demoting the last owner; personal_workspace_owner: demoting the person whose own workspace it is",
  },
});

export const removeMember = defineOperation({
  method: "DELETE",
  path: "/api/workspaces/{id}/members/{person_id}",
  operationId: "removeMember",
  tag,
  summary: "Remove a member",
  description: "The person sees nothing of the workspace from now on. A pending or declined activation can be removed too.",
  auth: "person",
  roles: ROLES.owner,
  params: accounts.memberParams,
  responses: { 204: { description: "removed" } },
  errors: {
    404: "the workspace is not one of yours, or the person is not in it (member_not_found)",
    409: "last_owner: removing the last owner; personal_workspace_owner: removing the person whose own workspace it is",
  },
});
